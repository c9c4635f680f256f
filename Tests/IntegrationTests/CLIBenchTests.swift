import Foundation
import RedisClient
import Supervision
import Testing
import TestSupport

/// `oms bench` at a small size: its correctness checks and its JSON, not its
/// speed. Serialized: each run is a cluster of six workers, on two cores.
@Suite(.serialized) struct CLIBenchTests {
    /// The bench's email counters are global to a Redis database, and other
    /// suites send emails at the same time: the bench gets a database of its own.
    static let benchDatabase = 6

    /// The test's vhost, the bench's Redis database, and the workers' folders.
    static func environment(_ pipeline: PipelineHarness) throws -> [String: String] {
        let url = try RedisURL(TestServers.redisURL)
        return ["OMS_AMQP_URL": pipeline.amqpURL, "OMS_REDIS_URL": "redis://\(url.host):\(url.port)/\(benchDatabase)",
                "OMS_DOCUMENTS_DIR": pipeline.logDirectory + "/documents", "OMS_SHUTDOWN_GRACE": "5"]
    }

    /// `oms bench --json` in the test's vhost; its last line as JSON.
    static func bench(_ pipeline: PipelineHarness, orders: Int, _ arguments: [String] = [],
                      environment: [String: String]) async throws -> (CLIResult, [String: Any]) {
        let result = try await OMSCLI.run(
            ["bench", "--orders", "\(orders)", "--json", "--cluster-dir", pipeline.logDirectory + "/bench"] + arguments,
            environment: try Self.environment(pipeline).merging(environment) { _, new in new })
        #expect(result.status == 0, "\(result)")
        let lastLine = try #require(result.stdout.split(separator: "\n").last, "\(result)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any],
                                   "\(result)")
        #expect((figures["checks"] as? [String: Any])?["passed"] as? Bool == true, "\(result)")
        return (result, figures)
    }

    @Test func aSmallRunPassesItsChecksAndPrintsEveryField() async throws {
        let pipeline = try await PipelineHarness.start("bench")
        let (_, figures) = try await Self.bench(pipeline, orders: 500, ["--no-services"], environment: [:])

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

    /// ../shared/bench/compare hands the bench its SMTP server in
    /// OMS_SMTP_URL: the workers the bench starts send every email there.
    @Test func theEmailsGoToTheServerOfOMS_SMTP_URL() async throws {
        let pipeline = try await PipelineHarness.start("bench-smtp")
        let smtp = try await SMTPTestServer.start()
        defer { smtp.stop() }
        let (_, figures) = try await Self.bench(pipeline, orders: 20, ["--no-services"],
                                                environment: ["OMS_SMTP_URL": smtp.url.description])
        #expect(figures["smtp_url"] as? String == smtp.url.description)
        #expect(try smtp.messages().count == 2 * 20, "one order.confirmed and one order.shipped email per order")
        await pipeline.stop([])
    }

    /// Without an SMTP server given, the bench starts Postfix's smtp-sink
    /// (scripts/services up smtp-sink, here in a state folder and on a port of
    /// the test's own) and the workers send to it, not to the storing sink.
    @Test func withoutAnSMTPServerItStartsSmtpSinkAndSendsThere() async throws {
        let pipeline = try await PipelineHarness.start("bench-sink")
        let state = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-bench-sink-\(UUID().uuidString.prefix(8))").path
        let services = ["OMS_STATE_DIR": state, "OMS_SMTP_SINK_PORT": "\(try LocalPorts.free(1)[0])"]
        let script = Checkout.script("services")
        defer { try? FileManager.default.removeItem(atPath: state) }
        // OMS_AMQP_URL is set, so RabbitMQ and Redis are taken as they are; OMS_SMTP_URL is empty, as if unset.
        let outcome: Result<(CLIResult, [String: Any]), any Error>
        do {
            outcome = .success(try await Self.bench(pipeline, orders: 20,
                                                    environment: services.merging(["OMS_SMTP_URL": ""]) { $1 }))
        } catch {
            outcome = .failure(error)
        }
        let sinkPID = try? String(contentsOfFile: state + "/smtp-sink/smtp-sink.pid", encoding: .utf8)
        let command = sinkPID.flatMap {
            try? String(contentsOfFile: "/proc/\($0.trimmingCharacters(in: .whitespacesAndNewlines))/cmdline",
                        encoding: .utf8)
        }
        try await ChildProcess.run([script, "down", "smtp-sink"], environment: services)
        let (result, figures) = try outcome.get()

        #expect(figures["smtp_url"] as? String == "smtp://127.0.0.1:\(services["OMS_SMTP_SINK_PORT"]!)", "\(result)")
        #expect(command?.hasPrefix("/usr/sbin/smtp-sink") == true, "no smtp-sink was started: \(result)")
        #expect(result.stderr.contains("up smtp-sink"), "\(result)")
        await pipeline.stop([])
    }
}
