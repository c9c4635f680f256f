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

    @Test("past its timeout a program is sent SIGTERM, and the run returns")
    func timeoutTerminates() async throws {
        let started = ContinuousClock.now
        let result = try await TestProcess.run(["sleep", "60"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(result.status == SIGTERM)
    }
}
