import Foundation
import OMSContract
import OMSDomain
import OMSStore
import Testing
import WorkerRuntime

/// Routing by stock per location, end to end: capture reserves each order
/// at the nearest location that has every line, pick puts it on that
/// location's picklist, ship buys its label there, a restock at a
/// location confirms what waited for it, and a return goes back to the
/// location it was shipped from.
@Suite("Fulfilment: orders go where the stock is")
struct StockRoutingTests {
    @Test("two locations: each order ships from the nearest that has every line; one no location can fill waits for a restock there; a return is restocked where it shipped from")
    func ordersGoWhereTheStockIs() async throws {
        let pipeline = try await PipelineHarness.start("routing")
        let documents = FulfilmentTests.documentsFolder()
        let suffix = pipeline.vhost.suffix(8).uppercased()
        let london = "LON-\(suffix)", berlin = "BER-\(suffix)"
        let rules = try TwoLocations.routingRules(london: london, berlin: berlin, in: documents)
        let mug = TestOrders.sku("MUG"), tea = TestOrders.sku("TEA")
        try await pipeline.inventory.set([StockSetting(sku: mug, available: 5, location: london),
                                          StockSetting(sku: mug, available: 5, location: berlin),
                                          StockSetting(sku: tea, available: 0, location: london),
                                          StockSetting(sku: tea, available: 3, location: berlin)])
        let id = { (name: String) in "\(name)-\(pipeline.vhost.suffix(8))" }
        let (domestic, german, onlyInBerlin, tooMany) = (id("gb"), id("de"), id("tea"), id("many"))
        let orders: [(String, [(sku: String, quantity: Int)], String)] = [
            (domestic, [(mug, 1)], "GB"), (german, [(mug, 1)], "DE"), (onlyInBerlin, [(mug, 1), (tea, 1)], "GB"),
            (tooMany, [(tea, 5)], "GB"),
        ]
        for (orderID, lines, country) in orders {
            try await pipeline.publish("order.place", json: TestOrders.place(id: orderID, lines: lines, country: country,
                                                                             hsCode: "691200"))
        }
        let environment = ["OMS_DOCUMENTS_DIR": documents, "OMS_PICK_WINDOW_MS": "300", "OMS_ROUTING_RULES": rules]
        let workers = try [Stage.capture, .payment, .pick, .ship, .return].map {
            try pipeline.startWorker($0, environment: environment)
        }
        let firstThree = [domestic, german, onlyInBerlin]
        try #require(try await pipeline.wait(timeout: .seconds(120)) {
            let statuses = try await pipeline.statuses(firstThree + [tooMany])
            return firstThree.allSatisfy { statuses[$0] == .shipped } && statuses[tooMany] == .backordered
        }, "logs in \(pipeline.logDirectory)")

        let expected = [domestic: london, german: berlin, onlyInBerlin: berlin]
        for (orderID, location) in expected {
            let fields = try await pipeline.orders.fields(orderID: orderID)
            #expect(fields["stock_location"] == location && fields["pick_location"] == location, "\(orderID): \(fields)")
            #expect(try await PicklistStore(redis: pipeline.redis, location: location).picklist(of: orderID) != nil)
            let label = try #require(FileManager.default.contents(atPath: "\(documents)/labels/\(orderID).pdf"))
            let sender = location == london ? "1 Wharf Road" : "Lagerstrasse 5"
            #expect(String(decoding: label, as: UTF8.self).contains(sender), "\(orderID)'s label is sent from \(location)")
        }

        // Five teas: three in Berlin, none in London. Three more arrive in Berlin.
        try await pipeline.publish("stock.restocked",
                                   json: #"{"sku": "\#(tea)", "quantity": 3, "restock_id": "po-\#(suffix)", "location": "\#(berlin)"}"#)
        #expect(try await pipeline.wait(timeout: .seconds(60)) {
            try await pipeline.statuses([tooMany])[tooMany] == .shipped
        }, "logs in \(pipeline.logDirectory)")
        #expect(try await pipeline.orders.fields(orderID: tooMany)["pick_location"] == berlin)

        let mugs = try #require(try await pipeline.inventory.levels(sku: mug))
        #expect(mugs.locations == [london: LocationStock(available: 4, reserved: 0, held: 0),
                                   berlin: LocationStock(available: 3, reserved: 0, held: 0)])
        #expect(mugs.available == 7 && mugs.reserved == 0)
        let teas = try #require(try await pipeline.inventory.levels(sku: tea))
        #expect(teas.locations[berlin] == LocationStock(available: 0, reserved: 0, held: 0))
        #expect(teas.available == 0 && teas.isConsistent)

        // The German order's mug, shipped from Berlin, comes back sellable: to Berlin, not London.
        let tracking = try #require(try await pipeline.orders.fields(orderID: german)["tracking_number"])
        try await pipeline.publish("shipment.delivered", json: #"{"order_id": "\#(german)", "tracking_number": "\#(tracking)", "delivered_at": "2026-11-24T12:00:00Z"}"#)
        #expect(try await pipeline.wait { try await pipeline.statuses([german])[german] == .delivered })
        try await pipeline.publish("order.return", json: """
            {"order_id": "\(german)", "reason": "a gift twice", "lines": [{"sku": "\(mug)", "quantity": 1, "condition": "sellable"}]}
            """)
        #expect(try await pipeline.wait { try await pipeline.statuses([german])[german] == .refunded },
                "logs in \(pipeline.logDirectory)")
        let returned = try #require(try await pipeline.inventory.levels(sku: mug))
        #expect(returned.locations == [london: LocationStock(available: 4, reserved: 0, held: 0),
                                       berlin: LocationStock(available: 4, reserved: 0, held: 0)])
        #expect(returned.available == 8 && returned.isConsistent)
        await pipeline.stop(workers)
    }
}
