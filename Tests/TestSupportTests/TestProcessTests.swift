import Foundation
import Testing
import TestSupport

@Suite("TestProcess runs a helper program off the cooperative pool")
struct TestProcessTests {
    @Test("output, error and exit status come back, with the input given")
    func resultIsReturned() async throws {
        let result = try await TestProcess.run(["bash", "-c", "tr a-z A-Z; echo oops >&2; exit 3"],
                                               input: Array("hello".utf8))
        #expect(result.status == 3)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "HELLO")
        #expect(result.stderr == "oops\n")
    }

    @Test("a program that ignores SIGTERM is killed 10 s after it, and the run returns")
    func ignoredTermIsKilled() async throws {
        let started = ContinuousClock.now
        let result = try await TestProcess.run(["bash", "-c", "trap '' TERM; while :; do sleep 0.1; done"],
                                               timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(result.status == 128 + SIGKILL)
    }

    @Test("many at once, each reaped: none waits for ever")
    func manyAtOnce() async throws {
        let results = try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<40 { group.addTask { try await TestProcess.run(["bash", "-c", "exit \(index % 7)"]).status } }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(results.sorted() == (0..<40).map { Int32($0 % 7) }.sorted())
    }

    @Test("past its timeout a program is sent SIGTERM, and the run returns")
    func timeoutTerminates() async throws {
        let started = ContinuousClock.now
        let result = try await TestProcess.run(["sleep", "60"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(result.status == 128 + SIGTERM)
    }
}
