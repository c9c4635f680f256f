import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import Testing
import WorkerRuntime

/// An order no single location can fill, end to end: capture holds each
/// line where it is whole, pick puts each parcel on its location's
/// picklist with its own slip, ship buys a label per parcel and announces
/// each, the email lists them, and the order is delivered with its last
/// parcel. A cancel after pick takes every parcel off its picklist.
@Suite("Fulfilment: split parcels")
struct SplitParcelTests {
    static let parcelTap = "test.parcels.shipment-shipped"

    @Test("an order split over London and Berlin: two picklists, two slips, two labels, two shipment.shipped events, one email listing both; delivered with its last parcel")
    func splitOrderShipsInParcels() async throws {
        let (pipeline, smtp) = try await NotifyTests.start("parcels")
        let documents = FulfilmentTests.documentsFolder()
        let suffix = pipeline.vhost.suffix(8).uppercased()
        let london = "LON-\(suffix)", berlin = "BER-\(suffix)"
        let rules = try TwoLocations.routingRules(london: london, berlin: berlin, in: documents)
        let mug = TestOrders.sku("MUG"), tea = TestOrders.sku("TEA"), card = TestOrders.sku("CARD")
        try await pipeline.inventory.set([StockSetting(sku: mug, available: 4, location: london),
                                          StockSetting(sku: mug, available: 0, location: berlin),
                                          StockSetting(sku: tea, available: 0, location: london),
                                          StockSetting(sku: tea, available: 5, location: berlin),
                                          StockSetting(sku: card, available: 10)])
        try await pipeline.amqp.declare(AMQPTopology(
            queues: [AMQPTopology.Queue(Self.parcelTap, durable: false, exclusive: true, autoDelete: true)],
            bindings: [AMQPTopology.Binding(queue: Self.parcelTap, exchange: Topology.events,
                                            routingKey: "shipment.shipped")]))
        let split = "split-\(pipeline.vhost.suffix(8))", cancelled = "splitcancel-\(pipeline.vhost.suffix(8))"
        for orderID in [split, cancelled] {
            try await pipeline.publish("order.place", json: TestOrders.place(
                id: orderID, lines: [(mug, 2), (tea, 1), (card, 1)], hsCode: "691200"))
        }
        let environment = ["OMS_DOCUMENTS_DIR": documents, "OMS_PICK_WINDOW_MS": "300", "OMS_ROUTING_RULES": rules]
        var workers = try [Stage.capture, .payment, .pick].map { try pipeline.startWorker($0, environment: environment) }
        workers.append(try NotifyTests.notify(pipeline, smtp))
        try #require(try await pipeline.wait(timeout: .seconds(120)) {
            try await pipeline.all([split, cancelled], in: [.picked])
        }, "logs in \(pipeline.logDirectory)")

        // Capture: the mugs (and the card, not stocked per location) from London, the tea from Berlin.
        let parcels = try Parcel.decode(try await pipeline.orders.fields(orderID: split)["parcels"])
        #expect(parcels == [
            Parcel(number: 1, location: london, lines: [.init(sku: mug, quantity: 2), .init(sku: card, quantity: 1)]),
            Parcel(number: 2, location: berlin, lines: [.init(sku: tea, quantity: 1)]),
        ])
        // Pick: each parcel on its location's picklist, with its own slip.
        for location in [london, berlin] {
            #expect(try await PicklistStore(redis: pipeline.redis, location: location).picklist(of: split) != nil)
        }
        for number in [1, 2] {
            #expect(FileManager.default.fileExists(atPath: "\(documents)/packing-slips/\(split)-\(number).pdf"))
        }

        // Cancelled after pick: off both picklists, both slips gone, the stock back at each location.
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(cancelled)", "reason": "changed my mind"}"#)
        // Its email follows the cancelled event, which capture publishes once the picklists and stock are done.
        try #require(try await pipeline.wait {
            try await Mail.read(smtp.mailDirectory).contains { $0.order == cancelled && $0.event == "order.cancelled" }
        }, "logs in \(pipeline.logDirectory)")
        for location in [london, berlin] {
            let picklists = PicklistStore(redis: pipeline.redis, location: location)
            let picklist = try #require(try await picklists.picklist(of: cancelled))
            #expect(try await !picklists.assignments(on: picklist).map(\.orderID).contains(cancelled), "voided at \(location)")
        }
        #expect(try await pipeline.inventory.levels(sku: tea)?.locations[berlin]
                == LocationStock(available: 4, reserved: 1, held: 1), "the cancelled order's tea is back in Berlin")
        for number in [1, 2] {
            #expect(!FileManager.default.fileExists(atPath: "\(documents)/packing-slips/\(cancelled)-\(number).pdf"))
        }

        workers.append(try pipeline.startWorker(.ship, environment: environment))
        try #require(try await pipeline.wait(timeout: .seconds(120)) {
            try await pipeline.statuses([split])[split] == .shipped
        }, "logs in \(pipeline.logDirectory)")

        // Ship: a label per parcel, from its location's address, and stock committed where it was held.
        for (number, sender) in [(1, "1 Wharf Road"), (2, "Lagerstrasse 5")] {
            let label = try #require(FileManager.default.contents(atPath: "\(documents)/labels/\(split)-\(number).pdf"))
            #expect(String(decoding: label, as: UTF8.self).contains(sender), "parcel \(number) is sent from \(sender)")
        }
        let fields = try await pipeline.orders.fields(orderID: split)
        let trackingNumbers = try #require(fields["tracking_numbers"]).split(separator: ",").map(String.init)
        #expect(trackingNumbers.count == 2 && Set(trackingNumbers).count == 2)
        #expect(try await pipeline.inventory.levels(sku: mug)?.locations
                == [london: LocationStock(available: 2, reserved: 0, held: 0),
                    berlin: LocationStock(available: 0, reserved: 0, held: 0)])
        #expect(try await pipeline.inventory.levels(sku: tea)?.locations
                == [london: LocationStock(available: 0, reserved: 0, held: 0),
                    berlin: LocationStock(available: 4, reserved: 0, held: 0)])
        #expect(try await pipeline.inventory.levels(sku: card)?.available == 9)

        // One shipment.shipped per parcel, with its lines and tracking number (published after the move to shipped).
        try #require(try await pipeline.wait { try await pipeline.amqp.inspect(queue: Self.parcelTap).messages >= 2 })
        var announced: [Int: [String: Any]] = [:]
        while let delivery = try await pipeline.amqp.get(queue: Self.parcelTap) {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
            let data = try #require(event["data"] as? [String: Any])
            #expect(data["order_id"] as? String == split && data["parcel_count"] as? Int == 2)
            let parcel = try #require(data["parcel"] as? [String: Any])
            announced[try #require(parcel["number"] as? Int)] = parcel
        }
        #expect(announced[1]?["location"] as? String == london && announced[2]?["location"] as? String == berlin)
        #expect(announced.keys.sorted().compactMap { announced[$0]?["tracking_number"] as? String } == trackingNumbers)

        // The shipped email lists both parcels, titles and tracking numbers.
        try #require(try await pipeline.wait {
            try await Mail.read(smtp.mailDirectory).contains { $0.order == split && $0.event == "order.shipped" }
        })
        let email = try #require(try await Mail.read(smtp.mailDirectory).first {
            $0.order == split && $0.event == "order.shipped"
        })
        #expect(email.text.contains("in 2 parcels"))
        for (number, tracking) in zip(1..., trackingNumbers) {
            #expect(email.text.contains("Parcel \(number) of 2: table-rate, tracking number \(tracking)"), "\(email.text)")
        }
        #expect(email.text.contains("2 × Blue mug (\(mug))"))

        // oms status lists the parcels with their tracking numbers.
        let status = try await OMSCLI.run(["status", split], environment: pipeline.cliEnvironment)
        #expect(status.stdout.contains("parcels   1 from \(london): 2 × \(mug), 1 × \(card) (table-rate \(trackingNumbers[0]))"),
                "\(status)")
        #expect(status.stdout.contains("          2 from \(berlin): 1 × \(tea) (table-rate \(trackingNumbers[1]))"))

        // Delivered with its last parcel.
        for (index, tracking) in trackingNumbers.enumerated() {
            try await pipeline.publish("shipment.delivered", json: """
                {"order_id": "\(split)", "tracking_number": "\(tracking)", "delivered_at": "2026-11-2\(4 + index)T12:00:00Z"}
                """)
            if index == 0 {
                try #require(try await pipeline.wait {
                    try await pipeline.orders.history(orderID: split).contains { $0.note.contains("1 still on the way") }
                }, "logs in \(pipeline.logDirectory)")
                #expect(try await pipeline.statuses([split])[split] == .shipped)
            }
        }
        #expect(try await pipeline.wait { try await pipeline.statuses([split])[split] == .delivered },
                "logs in \(pipeline.logDirectory)")
        await pipeline.stop(workers)
        await smtp.stop()
    }

}
