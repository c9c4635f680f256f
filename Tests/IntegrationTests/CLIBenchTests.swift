import Foundation
import RedisClient
import Testing

/// `oms bench` at a small size: its correctness checks and its JSON, not its speed.
@Suite struct CLIBenchTests {
    /// The bench's email counters are global to a Redis database, and other
    /// suites send emails at the same time: the bench gets a database of its own.
    static let benchDatabase = 6

    @Test func aSmallRunPassesItsChecksAndPrintsEveryField() async throws {
        let pipeline = try await PipelineHarness.start("bench")
        let url = try RedisURL(TestServers.redisURL)
        let redisURL = "redis://\(url.host):\(url.port)/\(Self.benchDatabase)"
        let result = try await OMSCLI.run(
            ["bench", "--orders", "500", "--json", "--no-services", "--cluster-dir", pipeline.logDirectory + "/bench"],
            environment: ["OMS_AMQP_URL": pipeline.amqpURL, "OMS_REDIS_URL": redisURL,
                          "OMS_DOCUMENTS_DIR": pipeline.logDirectory + "/documents", "OMS_SHUTDOWN_GRACE": "5"])
        #expect(result.status == 0, "\(result)")
        let lastLine = try #require(result.stdout.split(separator: "\n").last)
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])

        #expect(figures["name"] as? String == "oms")
        #expect(figures["orders"] as? Int == 500)
        for field in ["orders_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "elapsed_s", "redis_bytes_per_order"] {
            let value = try #require(figures[field] as? Double, "\(field) missing")
            #expect(value > 0, "\(field) is \(value)")
        }
        let p50 = try #require(figures["p50_ms"] as? Double), p99 = try #require(figures["p99_ms"] as? Double)
        #expect(p50 <= p99)

        let checks = try #require(figures["checks"] as? [String: Any])
        #expect(checks["lost"] as? Int == 0)
        #expect(checks["duplicated"] as? Int == 0)
        #expect(checks["oversold"] as? Int == 0)
        #expect(checks["emails_missing"] as? Int == 0)
        #expect(checks["passed"] as? Bool == true)

        let stages = try #require(figures["stages"] as? [String: [String: Any]])
        #expect(Set(stages.keys) == ["capture", "payment", "pick", "ship", "notify", "return"])
        for stage in ["capture", "payment", "pick", "ship"] {
            #expect(stages[stage]?["p99_ms"] as? Double != nil, "\(stage) has no latency")
        }
        for (stage, values) in stages {
            #expect((values["cpu_s_per_1000"] as? Double).map { $0 >= 0 } == true, "\(stage) has no CPU figure")
            #expect((values["peak_rss_mib"] as? Double).map { $0 > 1 } == true, "\(stage) has no memory figure")
        }
        await pipeline.stop([])
    }
}
