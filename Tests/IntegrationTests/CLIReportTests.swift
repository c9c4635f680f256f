import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Supervision
import Testing

/// On a Redis server of its own: the report's counters are global, and the
/// shared server counts every other test's orders too.
@Suite("oms report")
struct CLIReportTests {
    static let start = StoreTestSupport.start
    static let document = Array(#"{"id":"x"}"#.utf8)

    /// A new order in `channel`, moved through `statuses`: each a minute after
    /// the one before, except shipped, `shippedAfter` after the order.
    static func order(_ id: String, channel: String, through statuses: [OrderStatus], shippedAfter: TimeInterval = 0,
                      counting extra: [ReportCounter: Int] = [:], in store: OrderStore) async throws {
        _ = try await store.create(orderID: id, channel: channel, document: document, contentHash: "h", at: start,
                                   stage: "capture")
        var time = start
        for status in statuses {
            time = status == .shipped ? start.addingTimeInterval(shippedAfter) : time.addingTimeInterval(60)
            let outcome = try await store.transition(orderID: id, to: status, stage: "test", note: "",
                                                     counting: status == .refunded ? extra : [:], at: time)
            guard case .applied = outcome else {
                Issue.record("moving \(id) to \(status): \(outcome)")
                return
            }
        }
    }

    /// Five orders: delivered, returned and refunded, cancelled (and expired),
    /// on its way, rejected; three shipped, after 2 h, 4 h and 1 h.
    static func sampleOrders(_ store: OrderStore, _ redis: RedisConnection) async throws {
        let shipped: [OrderStatus] = [.confirmed, .paid, .picked, .shipped]
        try await order("web-1", channel: "web", through: shipped + [.delivered], shippedAfter: 7_200, in: store)
        try await order("web-2", channel: "web", through: shipped + [.returnRequested, .returned, .refunded],
                        shippedAfter: 14_400, counting: [.refunds(currency: "USD"): 1250], in: store)
        try await order("ebay-1", channel: "ebay", through: [.backordered, .cancelled], in: store)
        try await redis.send(RedisCommand("DEL", RedisKeys.order("ebay-1"), RedisKeys.history("ebay-1")))
        try await order("ebay-2", channel: "ebay", through: shipped, shippedAfter: 3_600, in: store)
        try await order("web-3", channel: "web", through: [.rejected], in: store)
        for id in ["web-1", "web-2", "ebay-2", "web-1"] {
            try await store.tally(orderID: id, .emailSent(eventType: "order.shipped"))
        }
        let inventory = InventoryStore(redis: redis)
        try await inventory.set(sku: "MUG-LOW", available: 2, bin: "A-01", reorderPoint: 5)
        try await inventory.set(sku: "MUG-PLENTY", available: 40, reorderPoint: 5)
    }

    @Test("--json: orders per status and channel, ship times, rates, refunds, emails and low stock, expired orders included")
    func json() async throws {
        let server = try await RedisPrivateServer.start()
        defer { server.stop() }
        let redis = try await RedisTestSupport.connect(url: server.url)
        try await Self.sampleOrders(OrderStore(redis: redis), redis)
        await redis.close()

        let result = try await OMSCLI.run(["report", "--json", "--redis-url", server.url])
        #expect(result.status == 0, "\(result)")
        let report = try #require(try result.json() as? [String: Any], "\(result)")
        let orders = try #require(report["orders"] as? [String: Any])
        #expect(orders["received"] as? Int == 5)
        let now = try #require(orders["now"] as? [String: Int])
        #expect(now.filter { $0.value > 0 } == ["delivered": 1, "refunded": 1, "cancelled": 1, "shipped": 1,
                                                "rejected": 1])
        #expect(now.count == OrderStatus.allCases.count)
        #expect((orders["entered"] as? [String: Int])?["shipped"] == 3)

        let channels = try #require(report["channels"] as? [String: [String: Any]])
        #expect(channels["web"]?["received"] as? Int == 3 && channels["ebay"]?["received"] as? Int == 2)
        #expect((channels["ebay"]?["now"] as? [String: Int])?.filter { $0.value > 0 } == ["cancelled": 1, "shipped": 1])

        let shipTimes = try #require(report["order_to_shipment_ms"] as? [String: Any])
        #expect(shipTimes["shipped"] as? Int == 3)
        let median = try #require(shipTimes["median"] as? Int), p95 = try #require(shipTimes["p95"] as? Int)
        #expect((7_200_000...7_560_000).contains(median), "2 h, at most 5 % over: \(median)")
        #expect((14_400_000...15_120_000).contains(p95), "4 h, at most 5 % over: \(p95)")

        let delivery = try #require(report["delivery"] as? [String: Any])
        #expect(delivery["success_rate"] as? Double == 0.5)
        #expect(delivery["delivered"] as? Int == 1 && delivery["shipments_ended"] as? Int == 2)
        let returns = try #require(report["returns"] as? [String: Any])
        #expect(returns["requested"] as? Int == 1 && returns["shipped"] as? Int == 3)
        #expect(abs((returns["rate"] as? Double ?? 0) - 1.0 / 3) < 1e-9)

        let refunds = try #require(report["refunds"] as? [[String: Any]])
        #expect(refunds.count == 1)
        #expect(refunds.first?["currency"] as? String == "USD" && refunds.first?["minor_units"] as? Int == 1250)
        #expect(refunds.first?["text"] as? String == "12.50 USD")
        #expect(report["emails_sent"] as? [String: Int] == ["order.shipped": 3])
        let lowStock = try #require(report["low_stock"] as? [[String: Any]])
        #expect(lowStock.compactMap { $0["sku"] as? String } == ["MUG-LOW"])
    }

    @Test("text for people; nothing counted yet shows dashes, not zeros; --help has an example")
    func text() async throws {
        let server = try await RedisPrivateServer.start()
        defer { server.stop() }
        let empty = try await OMSCLI.run(["report", "--redis-url", server.url])
        #expect(empty.status == 0, "\(empty)")
        #expect(empty.stdout.contains("median -, 95th percentile - (0 shipped)"), "\(empty)")
        #expect(empty.stdout.contains("delivery success   - "), "\(empty)")

        let redis = try await RedisTestSupport.connect(url: server.url)
        try await Self.sampleOrders(OrderStore(redis: redis), redis)
        await redis.close()
        let result = try await OMSCLI.run(["report", "--redis-url", server.url])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
            "STATUS", "NOW", "EBAY", "WEB", "ENTERED"], "\(result)")
        #expect(lines.contains { $0.split(separator: " ") == ["shipped", "1", "1", "0", "3"] }, "\(result)")
        #expect(lines.contains { $0.split(separator: " ") == ["orders", "5", "2", "3"] }, "\(result)")
        #expect(result.stdout.contains("delivery success   50.0 % (1 delivered of 2 shipments that ended)"),
                "\(result)")
        #expect(result.stdout.contains("return rate        33.3 % (1 returns requested of 3 shipped)"), "\(result)")
        #expect(result.stdout.contains("median ≤ 2 h 0"), "\(result)")
        #expect(result.stdout.contains("refunds            12.50 USD"), "\(result)")
        #expect(lines.contains { $0.split(separator: " ") == ["order.shipped", "3"] }, "\(result)")
        #expect(lines.contains { $0.hasPrefix("MUG-LOW") } && !lines.contains { $0.hasPrefix("MUG-PLENTY") },
                "\(result)")

        let help = try await OMSCLI.run(["report", "--help"])
        #expect(help.stdout.contains("oms report --json"), "\(help)")
    }

    @Test("Redis away: one line saying how to start it")
    func redisAway() async throws {
        let port = try LocalPorts.free(1)[0]
        let result = try await OMSCLI.run(["report", "--redis-url", "redis://127.0.0.1:\(port)/0"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Redis does not answer at redis://127.0.0.1:\(port)/0"), "\(result)")
        #expect(result.stderr.contains("scripts/services up"), "\(result)")
    }
}
