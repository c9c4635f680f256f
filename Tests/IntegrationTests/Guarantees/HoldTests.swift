import Foundation
import OMSDomain
import OMSStore
import Testing
import WorkerRuntime

@Suite("Guarantee: a held order reserves nothing until a person releases or cancels it")
struct HoldTests {
    /// A pipeline whose capture has a rules file (totals above 30.00 USD,
    /// orders to FR, and more than 2 orders per email within the hour are
    /// held), and a SKU of its own with 10 available.
    static func start(_ name: String) async throws -> (PipelineHarness, WorkerProcess, sku: String) {
        let pipeline = try await PipelineHarness.start(name)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("holds-\(UUID().uuidString).json").path
        try Data(#"{"max_total": {"USD": 3000}, "countries": ["FR"], "max_orders_per_email_per_hour": 2}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let capture = try pipeline.startWorker(.capture, environment: ["OMS_HOLD_RULES": path])
        let sku = TestOrders.sku(name.uppercased())
        try await pipeline.inventory.set(sku: sku, available: 10)
        return (pipeline, capture, sku)
    }

    @Test("held by total: on_hold with the reason, nothing reserved; listed; released it reserves and is confirmed")
    func heldThenReleased() async throws {
        let (pipeline, capture, sku) = try await Self.start("holdrelease")
        let id = "hold-\(pipeline.vhost.suffix(8))"
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 3)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .onHold }, "\(capture.log)")
        #expect(try await pipeline.orders.fields(orderID: id)["reason"]
            == "order total 37.50 USD is above the hold limit 30.00 USD")
        #expect(try await pipeline.inventory.levels(sku: sku)?.reserved == 0)

        let list = try await pipeline.oms("hold", "list", "--json")
        let held = try #require(try list.json() as? [[String: Any]], "\(list)")
        #expect(held.contains { $0["id"] as? String == id && ($0["reason"] as? String)?.contains("hold limit") == true })
        #expect(try await pipeline.oms("hold", "release", id).status == 0)
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .confirmed }, "\(capture.log)")
        #expect(try await pipeline.inventory.levels(sku: sku)?.reserved == 3)
        let again = try await pipeline.oms("hold", "release", id)
        #expect(again.status != 0 && again.stderr.contains("is confirmed, not on hold"), "\(again)")
        let transitions = try await pipeline.orders.history(orderID: id).filter(\.isTransition).map(\.to)
        #expect(transitions == [.received, .onHold, .confirmed])
        await pipeline.stop([capture])
    }

    @Test("held by country and cancelled: cancelled, nothing ever reserved")
    func heldThenCancelled() async throws {
        let (pipeline, capture, sku) = try await Self.start("holdcancel")
        let id = "holdfr-\(pipeline.vhost.suffix(8))"
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)], country: "FR"))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .onHold })
        #expect(try await pipeline.oms("hold", "cancel", id, "--reason", "address not verified").status == 0)
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .cancelled })
        #expect(try await pipeline.orders.fields(orderID: id)["reason"] == "address not verified")
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 10 && levels.reserved == 0)
        await pipeline.stop([capture])
    }

    @Test("the third order from one email within the hour is held; an order delivered twice counts once")
    func velocity() async throws {
        let (pipeline, capture, sku) = try await Self.start("holdvelocity")
        let email = "velocity-\(pipeline.vhost.suffix(8))@example.com"
        let ids = (0..<3).map { "vel-\(pipeline.vhost.suffix(8))-\($0)" }
        func order(_ id: String) -> String {
            TestOrders.place(id: id, lines: [(sku, 1)]).replacingOccurrences(of: "ada@example.com", with: email)
        }
        for id in ids.prefix(2) {
            try await pipeline.publish("order.place", json: order(id))
            try await pipeline.publish("order.place", json: order(id))
        }
        #expect(try await pipeline.wait {
            try await pipeline.all(Array(ids.prefix(2)), in: [.confirmed])
        }, "a redelivered order is not a second order")
        try await pipeline.publish("order.place", json: order(ids[2]))
        #expect(try await pipeline.wait { try await pipeline.statuses([ids[2]])[ids[2]] == .onHold })
        #expect(try await pipeline.orders.fields(orderID: ids[2])["reason"]
            == "3 orders from \(email) within an hour (limit 2)")
        await pipeline.stop([capture])
    }
}
