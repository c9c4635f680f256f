import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import Testing

@Suite("Guarantee: a prepaid order's refund is owed by its channel, never claimed as paid")
struct PrepaidRefundTests {
    @Test("a returned prepaid order: refunded by the channel, a refund.owed event, its own report line, no gateway call")
    func returnedPrepaid() async throws {
        let pipeline = try await PipelineHarness.start("prepaidrefund")
        let sku = TestOrders.sku("PREPAID")
        try await pipeline.inventory.set(sku: sku, available: 10)
        let listener = "test.owed.\(pipeline.vhost.suffix(8))"
        try await pipeline.amqp.declare(AMQPTopology(queues: [.init(listener, durable: false, autoDelete: true)],
                                                     bindings: [.init(queue: listener, exchange: Topology.events,
                                                                      routingKey: "refund.owed")]))
        let owed = await Inbox(try await pipeline.amqp.consume(queue: listener, prefetch: 10))
        let before = OrderReport(counters: try await pipeline.orders.reportCounters())
        let workers = try FulfilmentTests.startStages(pipeline, documents: FulfilmentTests.documentsFolder())
        let id = "prepaid-\(pipeline.vhost.suffix(8))"
        let order = TestOrders.place(id: id, channel: "amazon", lines: [(sku, 2)])
            .replacingOccurrences(of: #""payment": {"method": "card", "token": "tok_visa"}"#,
                                  with: #""payment": {"method": "prepaid"}"#)
        try await pipeline.publish("order.place", json: order)
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .shipped }, "logs in \(pipeline.logDirectory)")
        try await pipeline.publish("order.return", json: """
            {"order_id": "\(id)", "reason": "too small", "lines": [{"sku": "\(sku)", "quantity": 2, "condition": "sellable"}]}
            """)
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .refunded })

        let fields = try await pipeline.orders.fields(orderID: id)
        #expect(fields["refund_by"] == "channel" && fields["refund_amount"] == "2500")
        #expect(try await pipeline.orders.history(orderID: id).last?.note
            == "refund of 25.00 USD owed by amazon, which collected the payment")
        let event = try #require(await owed.first(), "a refund.owed event")
        let data = try #require((try JSONSerialization.jsonObject(with: Data(event.body)) as? [String: Any])?["data"]
            as? [String: Any])
        #expect(data["order_id"] as? String == id && data["channel"] as? String == "amazon")
        #expect(data["amount"] as? Int == 2500 && data["currency"] as? String == "USD")
        let ledger = SandboxLedger(pipeline.redis)
        #expect(try await ledger.operations(of: [id])[id, default: []].isEmpty, "no gateway call for a prepaid order")
        // The report's counters are shared with the tests running beside this one (the demo returns
        // prepaid orders too), so this order's 25.00 is at least what the owed line grew by.
        let after = OrderReport(counters: try await pipeline.orders.reportCounters())
        #expect(Self.usd(after.refundsOwed) - Self.usd(before.refundsOwed) >= 2500)
        await pipeline.stop(workers)
    }

    static func usd(_ amounts: [Money]) -> Int64 {
        amounts.first { $0.currency.code == "USD" }?.minorUnits ?? 0
    }
}
