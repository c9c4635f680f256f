import Foundation
import Fulfilment
import OMSContract
import OMSDomain
import OMSStore
import Testing
import WorkerRuntime

@Suite("Fulfilment: pick, ship, deliver, return")
struct FulfilmentTests {
    /// Every stage but notify running, with documents in a folder and a
    /// warehouse (picklists are per warehouse) of the test's own.
    static func startStages(_ pipeline: PipelineHarness, documents: String,
                            environment: [String: String] = [:]) throws -> [WorkerProcess] {
        let settings = try stageEnvironment(pipeline, documents: documents).merging(environment) { _, new in new }
        return try [Stage.capture, .payment, .pick, .ship, .return].map {
            try pipeline.startWorker($0, environment: settings)
        }
    }

    /// The documents folder and a routing-rules file naming the test's own warehouse.
    static func stageEnvironment(_ pipeline: PipelineHarness, documents: String) throws -> [String: String] {
        let rules = "\(documents)/routing-rules.json"
        try FileManager.default.createDirectory(atPath: documents, withIntermediateDirectories: true)
        try Data(#"{"default_location": "\#(warehouse(pipeline))", "locations": {"\#(warehouse(pipeline))": {"country": "GB", "name": "oms Test Warehouse", "lines": ["Unit 7, Dock Road"], "city": "Bristol", "postal_code": "BS1 5TR"}}, "rules": []}"#
            .utf8).write(to: URL(fileURLWithPath: rules))
        return ["OMS_DOCUMENTS_DIR": documents, "OMS_PICK_WINDOW_MS": "300", "OMS_ROUTING_RULES": rules]
    }

    static func warehouse(_ pipeline: PipelineHarness) -> String {
        "T-\(pipeline.vhost.suffix(8).uppercased())"
    }

    static func documentsFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("oms-docs-\(UUID().uuidString.prefix(8))").path
    }

    @Test("200 orders over 20 SKUs from three channels are shipped: exact stock, one label each, picklists cover every line once")
    func endToEnd() async throws {
        let pipeline = try await PipelineHarness.start("e2e")
        let documents = Self.documentsFolder()
        let skus = (0..<20).map { _ in TestOrders.sku("E2E") }
        for (index, sku) in skus.enumerated() {
            try await pipeline.inventory.set(sku: sku, available: 1_000, bin: "A-\(String(format: "%02d", 20 - index))")
        }
        var ordered: [String: Int] = [:]
        var ids: [String] = []
        for number in 0..<200 {
            let id = "e2e-\(pipeline.vhost.suffix(8))-\(number)"
            let lines = [(skus[number % 20], 1 + number % 3), (skus[(number * 7 + 3) % 20], 2)]
                .reduce(into: [(sku: String, quantity: Int)]()) { result, line in
                    if !result.contains(where: { $0.sku == line.0 }) { result.append((line.0, line.1)) }
                }
            for line in lines { ordered[line.sku, default: 0] += line.quantity }
            ids.append(id)
            try await pipeline.publish("order.place", json: TestOrders.place(
                id: id, channel: ["web", "amazon", "etsy"][number % 3], lines: lines))
        }
        let workers = try Self.startStages(pipeline, documents: documents)
        let shipped = try await pipeline.wait(timeout: .seconds(180), every: .milliseconds(500)) {
            try await pipeline.statuses(ids).values.filter { $0 == .shipped }.count == ids.count
        }
        try #require(shipped, "not all shipped; logs in \(pipeline.logDirectory)")

        for sku in skus {
            let levels = try #require(try await pipeline.inventory.levels(sku: sku))
            #expect(levels.available == 1_000 - ordered[sku, default: 0] && levels.reserved == 0 && levels.held == 0,
                    "\(sku): \(levels)")
        }
        for id in ids {
            let fields = try await pipeline.orders.fields(orderID: id)
            let tracking = try #require(fields["tracking_number"])
            #expect(TrackingNumber.isValid(tracking), "\(id): \(tracking)")
            #expect(FileManager.default.fileExists(atPath: "\(documents)/labels/\(id).pdf"))
            #expect(FileManager.default.fileExists(atPath: "\(documents)/packing-slips/\(id).pdf"))
        }
        #expect(Set(try await ids.asyncMap { try await pipeline.orders.fields(orderID: $0)["tracking_number"] }).count
            == ids.count, "tracking numbers are unique")
        try await expectPicklistsCoverEveryLineOnce(ids, pipeline: pipeline, documents: documents)
        await pipeline.stop(workers)
    }

    @Test("delivered, then returned in two sellable lines of one SKU and a damaged one: both sellable lines restocked, the damaged one not, refund = returned value")
    func deliveredThenReturned() async throws {
        let pipeline = try await PipelineHarness.start("return")
        let documents = Self.documentsFolder()
        let mug = TestOrders.sku("MUG")
        let tea = TestOrders.sku("TEA")
        try await pipeline.inventory.set(sku: mug, available: 10)
        try await pipeline.inventory.set(sku: tea, available: 10)
        // As long as an order id may be: the restock ids derived from it must still be valid.
        let id = "ret-\(pipeline.vhost.suffix(8))-" + String(repeating: "9", count: 87)
        let workers = try Self.startStages(pipeline, documents: documents)
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(mug, 3), (tea, 1)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .shipped })
        let tracking = try #require(try await pipeline.orders.fields(orderID: id)["tracking_number"])

        try await pipeline.publish("shipment.delivered", json: #"{"order_id": "\#(id)", "tracking_number": "\#(tracking)", "delivered_at": "2026-11-24T12:00:00Z"}"#)
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .delivered })
        try await pipeline.publish("order.return", json: """
            {"order_id": "\(id)", "reason": "too small", "lines": [
              {"sku": "\(mug)", "quantity": 1, "condition": "sellable"},
              {"sku": "\(tea)", "quantity": 1, "condition": "damaged"},
              {"sku": "\(mug)", "quantity": 1, "condition": "sellable"}]}
            """)
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .refunded })
        #expect(try await pipeline.wait { try await pipeline.inventory.levels(sku: mug)?.available == 9 },
                "7 left after shipping 3, plus the 2 sellable back")
        #expect(try await pipeline.inventory.levels(sku: tea)?.available == 9, "the damaged one is not restocked")
        let fields = try await pipeline.orders.fields(orderID: id)
        #expect(fields["refund_amount"] == "3750", "2 mugs + 1 tea at 1250 each")
        #expect(fields["return_authorization"]?.hasPrefix("RA-") == true)
        let statuses = try await pipeline.orders.history(orderID: id).filter(\.isTransition).map(\.to)
        #expect(statuses == [.received, .confirmed, .paid, .picked, .shipped, .delivered, .returnRequested,
                             .returned, .refunded])
        #expect(try await SandboxLedger(pipeline.redis).refunds(of: id) == 1)
        await pipeline.stop(workers)
    }

    @Test("cancel after shipping is refused: status and version unchanged, the refusal recorded")
    func cancelAfterShipping() async throws {
        let pipeline = try await PipelineHarness.start("cancelshipped")
        let sku = TestOrders.sku("SHIPPED")
        try await pipeline.inventory.set(sku: sku, available: 5)
        let id = "cxlship-\(pipeline.vhost.suffix(8))"
        let workers = try Self.startStages(pipeline, documents: Self.documentsFolder())
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .shipped })
        let before = try #require(try await pipeline.orders.status(orderID: id))
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(id)", "reason": "too late"}"#)
        #expect(try await pipeline.wait {
            try await pipeline.orders.history(orderID: id).contains { !$0.isTransition }
        })
        let after = try #require(try await pipeline.orders.status(orderID: id))
        #expect(after.status == .shipped && after.version == before.version)
        #expect(try await pipeline.orders.history(orderID: id).last?.note == "cancel refused: it has already shipped")
        #expect(try await SandboxLedger(pipeline.redis).refunds(of: id) == 0)
        await pipeline.stop(workers)
    }

    @Test("returns for an order never shipped, or for more than was shipped, are refused with a reason")
    func refusedReturns() async throws {
        let pipeline = try await PipelineHarness.start("badreturn")
        let sku = TestOrders.sku("RET")
        try await pipeline.inventory.set(sku: sku, available: 0)
        let id = "badret-\(pipeline.vhost.suffix(8))"
        let workers = try Self.startStages(pipeline, documents: Self.documentsFolder())
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 2)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .backordered })
        try await pipeline.publish("order.return", json: #"{"order_id": "\#(id)", "lines": [{"sku": "\#(sku)", "quantity": 1, "condition": "sellable"}]}"#, messageID: "never-shipped")
        try await pipeline.publish("order.return", json: #"{"order_id": "\#(id)", "lines": [{"sku": "\#(sku)", "quantity": 5, "condition": "sellable"}]}"#, messageID: "too-many")
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        let letters = await dead.wait(for: 2)
        #expect(letters.first { $0.messageID == "never-shipped" }?.headers[Headers.error]?.string
            == "order \(id) is backordered; only a shipped or delivered order can be returned")
        #expect(letters.first { $0.messageID == "too-many" }?.headers[Headers.error]?.string
            == "return of 5 \(sku) is more than the 2 shipped in order \(id)")
        #expect(try await pipeline.statuses([id])[id] == .backordered)
        await pipeline.stop(workers)
    }

    @Test("an international order's label carries a customs declaration; without HS codes it is refused with a reason; inside the customs territory neither")
    func international() async throws {
        let pipeline = try await PipelineHarness.start("customs")
        let documents = Self.documentsFolder()
        let sku = TestOrders.sku("INTL")
        try await pipeline.inventory.set(sku: sku, available: 10)
        let declared = "intl-\(pipeline.vhost.suffix(8))"
        let undeclared = "nohs-\(pipeline.vhost.suffix(8))"
        let isleOfMan = "iom-\(pipeline.vhost.suffix(8))"
        let workers = try Self.startStages(pipeline, documents: documents)
        try await pipeline.publish("order.place", json: TestOrders.place(id: declared, lines: [(sku, 1)], country: "US",
                                                                         hsCode: "691200"))
        try await pipeline.publish("order.place", json: TestOrders.place(id: undeclared, lines: [(sku, 1)],
                                                                         country: "US"))
        try await pipeline.publish("order.place", json: TestOrders.place(id: isleOfMan, lines: [(sku, 1)],
                                                                         country: "IM"))
        #expect(try await pipeline.wait { try await pipeline.statuses([declared])[declared] == .shipped })
        #expect(try await pipeline.wait { try await pipeline.statuses([isleOfMan])[isleOfMan] == .shipped },
                "another country inside the warehouse's customs territory needs no HS code")
        let inside = try #require(FileManager.default.contents(atPath: "\(documents)/labels/\(isleOfMan).pdf"))
        #expect(!String(decoding: inside, as: UTF8.self).contains("CN 22"), "and its label declares nothing")
        let label = try #require(FileManager.default.contents(atPath: "\(documents)/labels/\(declared).pdf"))
        let text = String(decoding: label, as: UTF8.self)
        #expect(text.contains("CN 22") && text.contains("691200"), "the label declares the goods and their HS code")
        #expect(text.contains("oms Test Warehouse") && text.contains("Unit 7, Dock Road"),
                "the sender is the location's address from the routing rules")
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        let letter = await dead.first()
        #expect(letter?.headers[Headers.stage] == "ship")
        #expect(letter?.headers[Headers.error]?.string?.contains("needs an hs_code for customs to US") == true)
        #expect(try await pipeline.statuses([undeclared])[undeclared] == .picked)
        await pipeline.stop(workers)
    }

    /// Every order line is on exactly one picklist row, and rows run in bin order.
    private func expectPicklistsCoverEveryLineOnce(_ ids: [String], pipeline: PipelineHarness,
                                                   documents: String) async throws {
        let picklists = PicklistStore(redis: pipeline.redis, location: Self.warehouse(pipeline))
        #expect(try await pipeline.wait(timeout: .seconds(20)) {
            let assigned = try await ids.asyncMap { try await picklists.picklist(of: $0) }
            let written = try FileManager.default.contentsOfDirectory(atPath: "\(documents)/picklists")
            return Set(assigned.compactMap { $0 }).allSatisfy { written.contains("\($0).csv") }
        })
        var rows: [String: Int] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: "\(documents)/picklists")
        where file.hasSuffix(".csv") {
            let text = try String(contentsOfFile: "\(documents)/picklists/\(file)", encoding: .utf8)
            let lines = text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
            let locations = lines.map { $0[1] }
            #expect(locations == locations.sorted(), "\(file) runs in bin order")
            for line in lines where ids.contains(line[4]) { rows["\(line[4])/\(line[2])", default: 0] += 1 }
        }
        for id in ids {
            let order = try OrderCoding.decode(try #require(try await pipeline.orders.document(orderID: id)))
            for line in order.lines { #expect(rows["\(id)/\(line.sku)"] == 1, "\(id) \(line.sku)") }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
