import Foundation
import Testing
@testable import OMSBench

/// `oms bench --instructions` without valgrind or servers: what it reads from
/// callgrind's files, the wrappers it starts workers with, and its arithmetic.
@Suite struct InstructionCountTests {
    /// The shape of a callgrind 3.19 output file, cut short.
    static let callgrindOutput = """
        # callgrind format
        version: 1
        creator: callgrind-3.19.0
        pid: 27815
        cmd:  /work/main/.build/release/oms-capture

        positions: line
        events: Ir
        summary: 126559

        fn=(1) 0x0000000000001090
        0 17
        totals: 126560
        """

    @Test("the totals line is the count; the summary line when a file has no totals")
    func readsTheTotal() {
        #expect(Callgrind.instructions(inOutput: Self.callgrindOutput) == 126_560)
        let summaryOnly = Self.callgrindOutput.replacingOccurrences(of: "totals: 126560", with: "")
        #expect(Callgrind.instructions(inOutput: summaryOnly) == 126_559)
        #expect(Callgrind.instructions(inOutput: "# callgrind format\nevents: Ir\n") == nil)
    }

    @Test("each process's count, by stage; valgrind's logs are not counts")
    func countsPerStage() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, total) in [("oms-capture.100.callgrind", 1_000), ("oms-capture.200.callgrind", 500),
                              ("oms-notify.300.callgrind", 7_000)] {
            try "events: Ir\ntotals: \(total)\n".write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
        }
        try "==100== Callgrind\n".write(toFile: "\(folder)/oms-capture.100.valgrind.log", atomically: true,
                                        encoding: .utf8)
        #expect(try Callgrind.counts(in: folder) == ["capture": [1_000, 500], "notify": [7_000]])
    }

    @Test("a worker killed before callgrind wrote its counts fails the measurement, naming the file")
    func missingTotalFails() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "# callgrind format\n".write(toFile: "\(folder)/oms-pick.9.callgrind", atomically: true, encoding: .utf8)
        #expect { try Callgrind.counts(in: folder) } throws: { "\($0)".contains("oms-pick.9.callgrind") }
    }

    @Test("a wrapper runs its worker under callgrind, the shim preloaded, the counts under the output prefix")
    func wrapperScript() throws {
        let script = Callgrind.script(worker: "/tmp/run's/workers/oms-ship", output: "/tmp/run's/oms-ship",
                                      shim: "/opt/bin/liboms-callgrind-shim.so")
        #expect(script.hasPrefix("#!/bin/sh\n"))
        let command = script.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            .replacingOccurrences(of: " \\\n", with: " ")
        #expect(command == #"LD_PRELOAD='/opt/bin/liboms-callgrind-shim.so' exec valgrind --tool=callgrind "#
            + #"--callgrind-out-file='/tmp/run'\''s/oms-ship.%p.callgrind' "#
            + #"--log-file='/tmp/run'\''s/oms-ship.%p.valgrind.log' '/tmp/run'\''s/workers/oms-ship' "$@""#)
    }

    @Test("per order is the slope between the smallest and largest run, so fixed costs cancel")
    func slope() {
        let counts = InstructionCounts(samples: [
            .init(orders: 300, instructions: ["capture": 50_000_000 + 300 * 120_000, "notify": 9_000_000 + 300 * 400_000]),
            .init(orders: 100, instructions: ["capture": 50_000_000 + 100 * 120_000, "notify": 9_000_000 + 100 * 400_000]),
        ], stages: ["capture", "notify", "return"])
        #expect(counts.perOrder("capture") == 120_000)
        #expect(counts.perOrder("notify") == 400_000)
        #expect(counts.perOrder("return") == nil)
        #expect(counts.totalPerOrder == nil)

        let json = counts.json
        #expect(json["name"] as? String == "oms-instructions")
        #expect(json["orders"] as? [Int] == [300, 100])
        #expect((json["instructions_per_order"] as? [String: Any])?["capture"] as? Int == 120_000)
        #expect(JSONSerialization.isValidJSONObject(json))
    }

    @Test func groupsDigits() {
        #expect(InstructionCounts.grouped(1_234_567) == "1,234,567")
        #expect(InstructionCounts.grouped(999) == "999")
        #expect(InstructionCounts.grouped(-12_000) == "-12,000")
        #expect(InstructionCounts.grouped(nil) == "-")
    }

    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-bench-tests-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
