import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Testing
import WorkerRuntime

@Suite("Report counters and retention")
struct ReportTests {
    /// The facts every worker counts for an order that goes all the way to
    /// refunded, and for one backordered and then cancelled.
    static let refundedFacts = Set(["received", "confirmed", "paid", "picked", "shipped", "delivered",
                                    "return_requested", "returned", "refunded"].map { "status:\($0)" }
        + ["confirmed", "shipped", "delivered", "return_requested", "refunded"].map { "email:order.\($0)" })
    static let cancelledFacts: Set<String> = ["status:received", "status:backordered", "status:cancelled",
                                              "email:order.backordered", "email:order.cancelled"]

    static func facts(_ id: String, _ pipeline: PipelineHarness) async throws -> Set<String> {
        let reply = try await pipeline.redis.send(RedisCommand("HKEYS", RedisKeys.tallied(id)))
        return Set((reply.array ?? []).compactMap(\.string))
    }

    static func timesToLive(_ id: String, _ pipeline: PipelineHarness) async throws -> [Int] {
        let keys = [RedisKeys.order(id), RedisKeys.history(id), RedisKeys.effects(id), RedisKeys.tallied(id)]
        return try await pipeline.redis.pipeline(keys.map { RedisCommand("TTL", $0) }).map { $0.int ?? -3 }
    }

    @Test("every status and email of an order is counted once in its channel, a refund by amount; settled orders expire after OMS_RETENTION")
    func countedOnceAndExpiring() async throws {
        let (pipeline, smtp) = try await NotifyTests.start("report")
        let settings = ["OMS_RETENTION": "1h"]
        var workers = try FulfilmentTests.startStages(pipeline, documents: FulfilmentTests.documentsFolder(),
                                                      environment: settings)
        workers.append(try NotifyTests.notify(pipeline, smtp, environment: settings))
        let (mug, none) = (TestOrders.sku("REPMUG"), TestOrders.sku("REPNONE"))
        try await pipeline.inventory.set(sku: mug, available: 5)
        try await pipeline.inventory.set(sku: none, available: 0)
        let channel = "r-\(pipeline.vhost.suffix(8))"
        let (refunded, cancelled) = ("rep-\(pipeline.vhost.suffix(8))-1", "rep-\(pipeline.vhost.suffix(8))-2")
        // No other test pays in NZD: the change of its refunds counter is this test's.
        let refundsBefore = try await pipeline.orders.reportCounters()[.refunds(currency: "NZD"), default: 0]

        try await pipeline.publish("order.place", json: TestOrders.place(id: refunded, channel: channel,
                                                                         lines: [(mug, 2)], currency: "NZD"))
        try await pipeline.publish("order.place", json: TestOrders.place(id: cancelled, channel: channel,
                                                                         lines: [(none, 1)], currency: "NZD"))
        #expect(try await pipeline.wait { try await pipeline.statuses([refunded])[refunded] == .shipped })
        let tracking = try #require(try await pipeline.orders.fields(orderID: refunded)["tracking_number"])
        try await pipeline.publish("shipment.delivered", json: #"{"order_id": "\#(refunded)", "tracking_number": "\#(tracking)", "delivered_at": "2026-11-24T12:00:00Z"}"#)
        #expect(try await pipeline.wait { try await pipeline.statuses([refunded])[refunded] == .delivered })
        #expect(try await Self.timesToLive(refunded, pipeline).prefix(3).allSatisfy { (3_000...3_600).contains($0) },
                "delivered is settled")
        try await pipeline.publish("order.return", json: #"{"order_id": "\#(refunded)", "lines": [{"sku": "\#(mug)", "quantity": 2, "condition": "sellable"}]}"#)
        #expect(try await pipeline.wait { try await pipeline.statuses([cancelled])[cancelled] == .backordered })
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(cancelled)", "reason": "no longer needed"}"#)

        _ = try await pipeline.wait { try await Self.facts(refunded, pipeline) == Self.refundedFacts }
        #expect(try await Self.facts(refunded, pipeline) == Self.refundedFacts)
        _ = try await pipeline.wait { try await Self.facts(cancelled, pipeline) == Self.cancelledFacts }
        #expect(try await Self.facts(cancelled, pipeline) == Self.cancelledFacts)
        let report = OrderReport(counters: try await pipeline.orders.reportCounters())
        #expect(report.receivedByChannel[channel] == 2)
        #expect(report.currentByChannel[channel]?.filter { $0.value > 0 } == [.refunded: 1, .cancelled: 1])
        let refundsAfter = try await pipeline.orders.reportCounters()[.refunds(currency: "NZD"), default: 0]
        #expect(refundsAfter - refundsBefore == 2500, "2 mugs at 12.50 NZD")
        for id in [refunded, cancelled] {
            let timesToLive = try await Self.timesToLive(id, pipeline)
            #expect(timesToLive.allSatisfy { (3_000...3_600).contains($0) }, "\(id): \(timesToLive)")
        }
        await pipeline.stop(workers)
        await smtp.stop()
    }

    @Test("payment killed between a move and its count, for a charge and for a refund: the redelivery counts it, and the refunded event still goes out")
    func countRepairedOnRedelivery() async throws {
        let pipeline = try await PipelineHarness.start("recount")
        let documents = FulfilmentTests.documentsFolder()
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: documents)
        let crashing = environment.merging(["OMS_FAILPOINT": "transition.before-tally"]) { _, new in new }
        let sku = TestOrders.sku("RECOUNT")
        try await pipeline.inventory.set(sku: sku, available: 5)
        let id = "recount-\(pipeline.vhost.suffix(8))"
        let listener = "test.refunded.\(pipeline.vhost.suffix(8))"
        try await pipeline.amqp.declare(AMQPTopology(queues: [.init(listener, durable: false, autoDelete: true)],
                                                     bindings: [.init(queue: listener, exchange: Topology.events,
                                                                      routingKey: "order.refunded")]))
        let refundedEvents = await Inbox(try await pipeline.amqp.consume(queue: listener, prefetch: 10))
        var workers = try [Stage.capture, .pick, .ship, .return].map {
            try pipeline.startWorker($0, environment: environment)
        }

        // The charge: paid is written, the payment copy dies before counting it.
        let first = try pipeline.startWorker(.payment, environment: crashing)
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        #expect(await first.waitForExit(), "the failpoint stopped the copy after the move to paid")
        #expect(try await pipeline.statuses([id])[id] == .paid)
        #expect(!(try await Self.facts(id, pipeline).contains("status:paid")), "not counted yet")
        var payment = try pipeline.startWorker(.payment, environment: environment)
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .shipped })
        #expect(try await Self.facts(id, pipeline).contains("status:paid"), "counted on the redelivery")

        // The refund: refunded is written, the copy dies before counting it or announcing it.
        await payment.stop()
        let second = try pipeline.startWorker(.payment, environment: crashing)
        try await pipeline.publish("order.return", json: #"{"order_id": "\#(id)", "lines": [{"sku": "\#(sku)", "quantity": 1, "condition": "sellable"}]}"#)
        #expect(await second.waitForExit(), "the failpoint stopped the copy after the move to refunded")
        #expect(try await pipeline.statuses([id])[id] == .refunded)
        payment = try pipeline.startWorker(.payment, environment: environment)
        workers.append(payment)
        #expect(try await pipeline.wait { try await Self.facts(id, pipeline).contains("status:refunded") },
                "counted on the redelivery")
        let event = try #require(await refundedEvents.first(), "the refunded event is published on the redelivery")
        #expect(String(decoding: event.body, as: UTF8.self).contains(#""order_id":"\#(id)""#))
        await pipeline.stop(workers)
    }
}
