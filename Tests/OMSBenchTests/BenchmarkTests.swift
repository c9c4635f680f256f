import CLISupport
import Supervision
import Testing
@testable import OMSBench

@Suite struct BenchmarkTests {
    func bench(scale: [String]) -> Benchmark {
        var bench = Benchmark(servers: ServerOptions(), directory: ClusterDirectory(path: "/tmp/unused"),
                              binDirectory: "/tmp/unused")
        bench.scale = scale
        return bench
    }

    @Test("one copy per stage unless named; a stage named with several counts gives one run per count")
    func curve() throws {
        #expect(try bench(scale: []).curve() == [
            ["capture": 1, "payment": 1, "pick": 1, "ship": 1, "notify": 1, "return": 1],
        ])
        let runs = try bench(scale: ["payment=1,2,4", "pick=2"]).curve()
        #expect(runs.map { $0["payment"] } == [1, 2, 4])
        #expect(runs.allSatisfy { $0["pick"] == 2 && $0["capture"] == 1 })
    }

    @Test("what scripts/services env exports, read back")
    func servicesEnvironment() {
        let output = """
            export OMS_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/%2F
            export OMS_SMTP_SINK_URL=smtp://127.0.0.1:2525
            services: a note on stderr
            """
        let exports = LocalServices.parseExports(output)
        #expect(exports["OMS_SMTP_SINK_URL"] == "smtp://127.0.0.1:2525")
        #expect(exports["OMS_AMQP_URL"] == "amqp://guest:guest@127.0.0.1:5672/%2F")
        #expect(exports.count == 2)
    }
}
