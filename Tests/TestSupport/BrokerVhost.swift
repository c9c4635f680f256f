import Foundation

/// A RabbitMQ vhost of one test's own on a broker `scripts/services` runs.
///
/// Each rabbitmqctl call boots an Erlang VM: seconds of CPU on a loaded
/// machine of two cores. Dozens of tests starting together once booted
/// dozens of them at the same moment; the broker missed its heartbeats and
/// some CLIs could not even start Erlang distribution. So this process runs
/// one rabbitmqctl at a time, and the vhosts asked for while one runs are
/// made together by the next (one `import_definitions`) or removed together
/// (one `eval`). A failed call is made again, twice at most: both are
/// idempotent.
public enum BrokerVhost {
    /// This checkout's `scripts/services`.
    public static let servicesScript = Checkout.script("services")

    /// `grants`: user → the pattern it may configure, write and read.
    public static func add(_ name: String, grants: [String: String], script: String = servicesScript,
                           environment: [String: String] = [:]) async throws {
        try await VhostChanges.shared.submit(.add(name, grants: grants),
                                             on: Broker(script: script, environment: environment))
    }

    /// Removes the vhost with its queues. A failure is printed, not thrown:
    /// the test it served has already been judged.
    public static func delete(_ name: String, script: String = servicesScript,
                              environment: [String: String] = [:]) async {
        do {
            try await VhostChanges.shared.submit(.delete(name), on: Broker(script: script, environment: environment))
        } catch {
            print("test vhost \(name) left behind: \(error)")
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var command: String
        public var status: Int32
        public var stderr: String

        public var description: String { "\(command) failed (exit \(status)): \(stderr)" }
    }
}

/// The broker a change goes to: `scripts/services` with the settings that
/// name its node.
struct Broker: Hashable, Sendable {
    var script: String
    var environment: [String: String]
}

enum VhostChange: Sendable {
    case add(String, grants: [String: String])
    case delete(String)

    var isAddition: Bool {
        if case .add = self { true } else { false }
    }
}

actor VhostChanges {
    static let shared = VhostChanges()

    private struct Waiting {
        var change: VhostChange
        var broker: Broker
        var continuation: CheckedContinuation<Void, any Error>
    }

    private var waiting: [Waiting] = []
    private var draining = false

    func submit(_ change: VhostChange, on broker: Broker) async throws {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(change: change, broker: broker, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// Applies what waits, a batch of one kind for one broker per call,
    /// until nothing is left; what arrives meanwhile joins a later batch.
    /// Additions go first: a test waits for its vhost to begin.
    private func drain() async {
        while let first = waiting.first(where: \.change.isAddition) ?? waiting.first {
            let joins = { (other: Waiting) in
                other.broker == first.broker && other.change.isAddition == first.change.isAddition
            }
            let batch = waiting.filter(joins)
            waiting.removeAll(where: joins)
            let outcome: Result<Void, any Error>
            do {
                try await Self.apply(batch.map(\.change), on: first.broker)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            for entry in batch { entry.continuation.resume(with: outcome) }
        }
        draining = false
    }

    private static func apply(_ changes: [VhostChange], on broker: Broker) async throws {
        guard changes.first?.isAddition == true else {
            return try await rabbitmqctl(["eval", try deletion(changes)], on: broker)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("oms-vhosts-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try definitions(changes).write(to: file)
        try await rabbitmqctl(["import_definitions", file.path], on: broker)
    }

    /// A call, made again twice at most when it fails.
    private static func rabbitmqctl(_ arguments: [String], on broker: Broker) async throws {
        var attempt = 1
        while true {
            do {
                return try await rabbitmqctlOnce(arguments, on: broker)
            } catch where attempt < 3 {
                attempt += 1
                try await Task.sleep(for: .seconds(attempt))
            }
        }
    }

    private static func definitions(_ changes: [VhostChange]) throws -> Data {
        var vhosts: [[String: String]] = []
        var permissions: [[String: String]] = []
        for case .add(let name, let grants) in changes {
            vhosts.append(["name": name])
            permissions += grants.map { user, pattern in
                ["user": user, "vhost": name, "configure": pattern, "write": pattern, "read": pattern]
            }
        }
        return try JSONSerialization.data(withJSONObject: ["vhosts": vhosts, "permissions": permissions]
                                          as [String: Any])
    }

    /// An Erlang expression that deletes every vhost named, as
    /// `rabbitmqctl delete_vhost` does, in one call.
    private static func deletion(_ changes: [VhostChange]) throws -> String {
        let names = try changes.compactMap { change -> String? in
            guard case .delete(let name) = change else { return nil }
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw BrokerVhost.Failure(command: "delete \(name)", status: 2,
                                          stderr: "a test vhost's name is letters, digits and -_. only")
            }
            return "<<\"\(name)\">>"
        }
        // `catch`: a vhost already gone must not keep the others.
        return "[catch rabbit_vhost:delete(V, <<\"oms-tests\">>) || V <- [\(names.joined(separator: ", "))]], ok."
    }

    /// Two minutes at most: a call that hangs must not hold every later test's vhost.
    private static func rabbitmqctlOnce(_ arguments: [String], on broker: Broker) async throws {
        let result = try await TestProcess.run([broker.script, "rabbitmqctl"] + arguments,
                                               environment: broker.environment, timeout: .seconds(120))
        guard result.status == 0 else {
            throw BrokerVhost.Failure(command: "rabbitmqctl " + arguments.joined(separator: " "),
                                      status: result.status, stderr: String(result.stderr.suffix(500)))
        }
    }
}
