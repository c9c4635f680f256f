import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import Testing
import WorkerRuntime

@Suite("Guarantee: a redelivered message changes nothing twice")
struct RedeliveryTests {
    @Test("every order published twice is reserved once, each status once in its history")
    func publishedTwice() async throws {
        let pipeline = try await PipelineHarness.start("twice")
        let sku = TestOrders.sku("TWICE")
        try await pipeline.inventory.set(sku: sku, available: 1_000)
        let ids = (0..<100).map { "twice-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids + ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 3)]))
        }
        let worker = try pipeline.startWorker(.capture)
        #expect(try await pipeline.wait {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count == ids.count
        })
        try await Task.sleep(for: .milliseconds(500))
        try await expectReservedOnce(ids, sku: sku, quantity: 3, start: 1_000, pipeline)
        await pipeline.stop([worker])
    }

    @Test("the same order id with other content is dead-lettered as a conflict; the first order stays as it was")
    func sameIDOtherContent() async throws {
        let pipeline = try await PipelineHarness.start("conflict")
        let sku = TestOrders.sku("CONFLICT")
        try await pipeline.inventory.set(sku: sku, available: 10)
        let id = "conflict-\(pipeline.vhost.suffix(8))"
        let worker = try pipeline.startWorker(.capture)
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 2)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .confirmed })
        let other = Array(TestOrders.place(id: id, lines: [(sku, 5)]).utf8)
        try await pipeline.publish("order.place", other, messageID: "other-content")

        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        let letter = try #require(await dead.first())
        #expect(letter.messageID == "other-content" && letter.headers[Headers.stage] == "capture")
        #expect(letter.headers[Headers.error]?.string == "order \(id) already exists with other content; an order id "
            + "names one order: publish changes under a new id, or cancel the order")
        #expect(letter.body == other, "body kept byte for byte")
        #expect(try await pipeline.orders.status(orderID: id)?.version == 2, "received, confirmed: nothing more")
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 8 && levels.reserved == 2, "the first order's 2 held, nothing for the other")
        await pipeline.stop([worker])
    }

    @Test("capture killed with SIGKILL in the middle of 1,000 orders and started again: each order reserved once")
    func killedMidway() async throws {
        let pipeline = try await PipelineHarness.start("sigkill")
        let sku = TestOrders.sku("KILL")
        try await pipeline.inventory.set(sku: sku, available: 5_000)
        let ids = (0..<1_000).map { "kill-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 2)]))
        }
        let first = try pipeline.startWorker(.capture)
        #expect(try await pipeline.wait(every: .milliseconds(20)) {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count >= 250
        })
        first.crash()
        let confirmedAtCrash = try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count
        #expect(confirmedAtCrash < ids.count, "the crash came too late to test anything")

        let second = try pipeline.startWorker(.capture)
        #expect(try await pipeline.wait(timeout: .seconds(120)) {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count == ids.count
        })
        try await expectReservedOnce(ids, sku: sku, quantity: 2, start: 5_000, pipeline)
        await pipeline.stop([second])
    }

    private func expectReservedOnce(_ ids: [String], sku: String, quantity: Int, start: Int,
                                    _ pipeline: PipelineHarness) async throws {
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.reserved == ids.count * quantity)
        #expect(levels.available == start - ids.count * quantity)
        let holds = try await pipeline.inventory.holds(sku: sku)
        #expect(holds.count == ids.count && holds.values.allSatisfy { $0 == quantity })
        for id in ids {
            let history = try await pipeline.orders.history(orderID: id)
            #expect(history.map(\.to) == [.received, .confirmed], "\(id): \(history.map(\.to))")
            #expect(try await pipeline.orders.status(orderID: id)?.version == 2)
        }
    }
}
