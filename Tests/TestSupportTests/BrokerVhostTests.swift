import Foundation
import Testing
import TestSupport

/// `BrokerVhost` against a stand-in for `scripts/services`: a shell script
/// that logs each rabbitmqctl call it gets and notes when two overlap. What
/// is checked is the batching and the retries, not RabbitMQ.
@Suite("Test vhosts: one rabbitmqctl at a time, changes batched, failures retried")
struct BrokerVhostTests {
    @Test("twenty vhosts asked for at once: every one made, by few calls that never overlap")
    func additionsAreBatchedAndSerialized() async throws {
        let services = try FakeServices()
        let names = (1...20).map { "batched-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask {
                    try await BrokerVhost.add(name, grants: ["oms-worker": "^oms\\."], script: services.path)
                }
            }
            try await group.waitForAll()
        }
        let calls = try services.calls()
        #expect(calls.allSatisfy { $0.hasPrefix("rabbitmqctl import_definitions ") })
        #expect(calls.count >= 1 && calls.count <= 3, "\(calls.count) calls for 20 vhosts")
        #expect(try services.overlaps() == 0)
        let made = try services.definitions().flatMap { ($0["vhosts"] as? [[String: String]] ?? []).compactMap { $0["name"] } }
        #expect(made.sorted() == names.sorted())
        let grants = try services.definitions().flatMap { $0["permissions"] as? [[String: String]] ?? [] }
        #expect(grants.count == 20 && grants.allSatisfy { $0["user"] == "oms-worker" && $0["read"] == "^oms\\." })

        await withTaskGroup(of: Void.self) { group in
            for name in names { group.addTask { await BrokerVhost.delete(name, script: services.path) } }
        }
        let deletions = try services.calls().filter { $0.hasPrefix("rabbitmqctl eval ") }
        #expect(deletions.count >= 1 && deletions.count <= 3, "\(deletions.count) calls to remove 20 vhosts")
        for name in names {
            #expect(deletions.contains { $0.contains("<<\"\(name)\">>") }, "\(name) never removed")
        }
        #expect(try services.overlaps() == 0)
    }

    @Test("a call that fails twice is made a third time; one that fails three times is the test's error")
    func failuresAreRetriedTwice() async throws {
        let flaky = try FakeServices(failures: 2)
        try await BrokerVhost.add("flaky", grants: [:], script: flaky.path)
        #expect(try flaky.calls().count == 3)

        let broken = try FakeServices(failures: 3)
        let error = await #expect(throws: BrokerVhost.Failure.self) {
            try await BrokerVhost.add("broken", grants: [:], script: broken.path)
        }
        #expect(error?.status == 70)
        #expect(error?.stderr.contains("nodistribution") == true, "\(String(describing: error))")
        #expect(try broken.calls().count == 3)
    }

    @Test("a vhost name that is not letters, digits and -_. is refused before any call")
    func oddNamesAreRefused() async throws {
        let services = try FakeServices()
        await BrokerVhost.delete("a\"b", script: services.path)
        #expect(try services.calls().isEmpty)
    }
}

/// A folder with a fake `scripts/services`: each call appends its arguments
/// to `calls` (and a copy of a definitions file it names), holds a lock for
/// 0.3 s, and counts in `overlaps` the calls that found the lock taken. The
/// first `failures` calls exit 70 with Erlang's distribution error.
private struct FakeServices {
    let folder: URL
    var path: String { folder.appendingPathComponent("services").path }

    init(failures: Int = 0) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("oms-fake-services-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = """
            #!/bin/bash
            dir=$(dirname "$0")
            mkdir "$dir/lock" 2>/dev/null || echo x >>"$dir/overlaps"
            echo "$*" >>"$dir/calls"
            [ "$2" = import_definitions ] && cp "$3" "$dir/definitions-$(wc -l <"$dir/calls")"
            sleep 0.3
            rmdir "$dir/lock" 2>/dev/null
            if [ "$(wc -l <"$dir/calls")" -le \(failures) ]; then
                echo "Error: Distribution failed: nodistribution" >&2
                exit 70
            fi
            """
        try Data(script.utf8).write(to: folder.appendingPathComponent("services"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func calls() throws -> [String] {
        try lines("calls")
    }

    func overlaps() throws -> Int {
        try lines("overlaps").count
    }

    /// Each import_definitions file, parsed.
    func definitions() throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("definitions-") }
            .map { try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent($0))) }
            .compactMap { $0 as? [String: Any] }
    }

    private func lines(_ name: String) throws -> [String] {
        let file = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
