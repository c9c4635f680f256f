import Testing
@testable import Supervision

@Suite struct ScaleRequestTests {
    let stages = ["capture", "payment", "pick"]

    @Test func oneCount() throws {
        #expect(try ScaleRequest(parsing: "payment=4", stages: stages) == ScaleRequest(stage: "payment", copies: [4]))
    }

    @Test func aCurve() throws {
        #expect(try ScaleRequest(parsing: "payment=1,2,4", stages: stages).copies == [1, 2, 4])
    }

    @Test(arguments: [
        ("payment", "not STAGE=N"), ("ship=2", "unknown stage 'ship'"), ("payment=two", "not a number"),
        ("payment=1,,2", "not a number"), ("payment=-1", "0 to 64"), ("payment=65", "0 to 64"),
    ])
    func refusesWithTheReason(text: String, reason: String) {
        #expect {
            try ScaleRequest(parsing: text, stages: stages)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}

@Suite struct RestartBackoffTests {
    let backoff = RestartBackoff()

    @Test func doublesUpToTheMaximum() {
        let delays = (1...8).map { backoff.delay(afterFailuresInARow: $0) }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30, 30].map { Duration.seconds($0) })
    }

    @Test func aCopyThatRanLongEnoughStartsTheCountAgain() {
        #expect(backoff.failuresInARow(previous: 5, uptime: .seconds(61)) == 1)
        #expect(backoff.failuresInARow(previous: 5, uptime: .seconds(3)) == 6)
    }

    @Test func exitDescriptions() {
        #expect(Supervisor.describeExit(9) == "was killed by signal 9")
        #expect(Supervisor.describeExit(3 << 8) == "exited with status 3")
    }
}

@Suite struct ClusterProgramTests {
    @Test func aStageRunsItsWorker() {
        let program = ClusterProgram("payment", binDirectory: "/opt/oms/bin")
        #expect(program.executable == "/opt/oms/bin/oms-payment")
        #expect(program.arguments.isEmpty)
        #expect(ClusterProgram.hasQueue("payment"))
        #expect(program.touchesLivenessFile)
    }

    @Test func serveRunsTheHTTPServer() {
        let program = ClusterProgram(ClusterProgram.server, binDirectory: "/opt/oms/bin")
        #expect(program.executable == "/opt/oms/bin/oms")
        #expect(program.arguments == ["serve"])
        #expect(!ClusterProgram.hasQueue(ClusterProgram.server))
        #expect(!program.touchesLivenessFile, "the server is replaced only when it exits")
    }
}
