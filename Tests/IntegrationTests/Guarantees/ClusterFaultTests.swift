import Foundation
import RedisClient
import Supervision
import Testing

/// `oms bench --cluster --chaos` on clusters of the test's own: the bench
/// kills the nodes at points in its flood and checks its orders; the test
/// checks what the bench does not (charges at the gateway, the emails the
/// mail server got), so one code path is proven by both.
@Suite("Guarantee: nothing lost when a RabbitMQ node and a Redis master die")
struct ClusterFaultTests {
    static let orders = 5_000

    @Test("kill -9 of the RabbitMQ node the workers use, then of a Redis master, under a flood of 5,000 orders (oms bench --cluster --chaos): each completes once, nothing oversold, no charge or email twice, no worker down")
    func nodesKilledUnderLoad() async throws {
        try await ClusterServers.with(["rabbitmq", "redis"]) { cluster in
            try await PrivateServers.with(["smtp"]) { smtp in try await benchThroughKills(cluster, smtp) }
        }
    }

    private func benchThroughKills(_ cluster: ClusterServers, _ smtp: PrivateServers) async throws {
        let state = cluster.nodes.stateDirectory
        let environment = cluster.nodes.environment.merging([
            "OMS_AMQP_URL": cluster.amqpURL, "OMS_REDIS_URL": cluster.redisURL, "OMS_SMTP_URL": smtp.smtpURL,
            "OMS_DOCUMENTS_DIR": state + "/documents", "OMS_SHUTDOWN_GRACE": "5",
        ]) { _, new in new }
        let result = try await OMSCLI.run(["bench", "--cluster", "--chaos", "--no-single-node", "--orders",
                                           "\(Self.orders)", "--json", "--cluster-dir", state + "/bench"],
                                          environment: environment)
        let lastLine = try #require(result.stdout.split(separator: "\n").last, "\(result)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any],
                                   "\(result)")
        #expect(result.status == 0, "\(result)")
        #expect(figures["orders"] as? Int == Self.orders)
        let checks = try #require(figures["checks"] as? [String: Any])
        for check in ["lost", "duplicated", "oversold", "emails_missing"] {
            #expect(checks[check] as? Int == 0, "\(check): \(checks)")
        }
        #expect(checks["workers_down"] as? [String] == [], "\(checks)")

        let killed = try #require(figures["killed"] as? [[String: Any]], "\(figures)")
        #expect(killed.compactMap { ($0["node"] as? String)?.split(separator: " ").first } == ["rabbitmq", "redis"])
        #expect(killed.first?["node"] as? String == "rabbitmq 127.0.0.1:\(cluster.amqpPorts[0])")
        for node in killed {
            let before = try #require(node["shipped_before"] as? Int)
            #expect(before > 0 && before < Self.orders, "killed while orders were on their way: \(node)")
            #expect(node["restarted_at_s"] as? Double != nil, "started again: \(node)")
        }
        print("cluster faults: \(Self.orders) orders, \(figures["orders_per_s"] ?? "?") orders/s; killed "
            + killed.map { "\($0["node"] ?? "?") at \($0["at_s"] ?? "?") s" }.joined(separator: ", "))
        let promoted = try #require(killed.last?["promoted"] as? String, "\(killed)")
        #expect(cluster.redisPorts.map { "127.0.0.1:\($0)" }.contains(promoted))

        let prefix = try #require(figures["order_prefix"] as? String)
        let ids = (1...Self.orders).map { "\(prefix)\($0)" }
        try await expectOneChargeEach(ids, cluster)
        let mails = try await Mail.read(smtp.mailDirectory)
        #expect(mails.count == 2 * ids.count, "one confirmed and one shipped email per order")
        #expect(Set(mails.map(\.key)).count == mails.count, "no email twice")
    }

    /// One authorisation and one capture per order, each under its one key.
    private func expectOneChargeEach(_ ids: [String], _ cluster: ClusterServers) async throws {
        let redis = try await RedisConnector.connect(cluster.redisURL)
        let operations = try await SandboxLedger(redis).operations(of: ids)
        let wrong = ids.filter { operations[$0] != ["authorize", "capture"] }.map { "\($0): \(operations[$0] ?? [])" }
        #expect(wrong.isEmpty, "\(wrong.count) orders without one authorisation and one capture: \(wrong.prefix(3))")
        await redis.close()
    }
}
