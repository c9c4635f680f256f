import Foundation
import OMSDomain
import OMSStore
import Testing

@Suite("Guarantee: a reservation is all lines or none")
struct AllOrNothingReservationTests {
    @Test("an order whose second SKU is short reserves nothing, also when capture dies between the two steps")
    func secondLineShort() async throws {
        let pipeline = try await PipelineHarness.start("allornothing")
        let plenty = TestOrders.sku("PLENTY")
        let none = TestOrders.sku("NONE")
        try await pipeline.inventory.set(sku: plenty, available: 10)
        try await pipeline.inventory.set(sku: none, available: 0)
        let first = "aon-\(pipeline.vhost.suffix(8))-1"
        let second = "aon-\(pipeline.vhost.suffix(8))-2"

        var worker = try pipeline.startWorker(.capture)
        try await pipeline.publish("order.place", json: TestOrders.place(id: first, lines: [(plenty, 2), (none, 1)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([first])[first] == .backordered })
        #expect(try await pipeline.inventory.levels(sku: plenty)?.available == 10)
        #expect(try await pipeline.inventory.holds(sku: plenty).isEmpty)
        await worker.stop()

        // The same order shape, with capture killed after reserving the first
        // line and before giving it back.
        worker = try pipeline.startWorker(.capture, environment: ["OMS_FAILPOINT": "reserve.before-compensation"])
        try await pipeline.publish("order.place", json: TestOrders.place(id: second, lines: [(plenty, 2), (none, 1)]))
        #expect(await worker.waitForExit(), "the failpoint should have killed capture")
        #expect(try await pipeline.inventory.holds(sku: plenty) == [second: 2], "the crash left a hold behind")

        worker = try pipeline.startWorker(.capture)
        #expect(try await pipeline.wait { try await pipeline.statuses([second])[second] == .backordered })
        #expect(try await pipeline.inventory.holds(sku: plenty).isEmpty, "the redelivery gave the hold back")
        let levels = try #require(try await pipeline.inventory.levels(sku: plenty))
        #expect(levels.available == 10 && levels.reserved == 0)
        await pipeline.stop([worker])
    }
}
