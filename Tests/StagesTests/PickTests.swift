import Foundation
import Fulfilment
import OMSDomain
import OMSStore
@testable import Stages
import Testing
import WorkerRuntime

@Suite("Pick: paid orders onto picklists")
struct PickTests {
    let orders = FakeOrderRecords()
    let folder = Fixture.folder()

    func pick(_ picklists: FakePicklistBook) -> PickHandler {
        let settings = PickSettings(directory: folder, routing: .default, defaultItemWeightGrams: 500,
                                    window: .seconds(2), mostOrdersPerPicklist: 50)
        return PickHandler(orders: orders, inventory: FakeStockLedger(available: [:]),
                           picklists: { _ in picklists }, settings: settings, services: [])
    }

    /// Pick's outcome for the `order.paid` hand-off of t-1001, stored in `status`.
    func pickOrder(storedAs status: OrderStatus, version: Int, _ picklists: FakePicklistBook) async throws -> Outcome {
        let message = try await Fixture.handoff(.paid, storing: orders, as: status, version: version)
        return await pick(picklists).handle(message, context: Fixture.context(.pick))
    }

    @Test("a paid order goes on a picklist with its packing slip, picked v4 hands it to ship")
    func picked() async throws {
        let picklists = FakePicklistBook()
        let outcome = try await pickOrder(storedAs: .paid, version: 3, picklists)
        #expect(events(outcome.messages) == ["order.picked v4"])
        #expect(await picklists.assigned["t-1001"] == [PicklistStore.Line(sku: "MUG-BLUE", quantity: 2)])
        #expect(await orders.stored("t-1001")?.fields == ["picklist": "PL-1", "pick_location": "MAIN"])
        #expect(FileManager.default.fileExists(atPath: folder + "/packing-slips/t-1001.pdf"))
    }

    @Test("an order whose stock capture held at a location goes on that location's picklist")
    func pickedWhereTheStockIs() async throws {
        let picklists = FakePicklistBook()
        let order = try Fixture.order()
        await orders.seed(order, status: .paid, version: 3, fields: ["stock_location": "BER-1"])
        let asked = Locations()
        let settings = PickSettings(directory: folder, routing: .default, defaultItemWeightGrams: 500,
                                    window: .seconds(2), mostOrdersPerPicklist: 50)
        let handler = PickHandler(orders: orders, inventory: FakeStockLedger(available: [:]),
                                  picklists: { location in asked.add(location); return picklists },
                                  settings: settings, services: [])
        let outcome = await handler.handle(Fixture.handoff(order, .paid, version: 3), context: Fixture.context(.pick))
        #expect(events(outcome.messages) == ["order.picked v4"])
        #expect(asked.all == ["BER-1"])
        #expect(await orders.stored("t-1001")?.fields["pick_location"] == "BER-1")
    }

    @Test("an order cancelled while it was being picked is taken off the picklist again, with its slip")
    func cancelledMeanwhile() async throws {
        let picklists = FakePicklistBook { [orders] orderID in
            _ = try? await orders.transition(orderID: orderID, to: .cancelled, stage: "capture", note: "", at: .now)
        }
        #expect(try await pickOrder(storedAs: .paid, version: 3, picklists) == .done([]))
        #expect(await picklists.voided == ["t-1001"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/packing-slips/t-1001.pdf"))
    }

    @Test("a redelivery of a picked order announces picked again and assigns nothing")
    func redelivered() async throws {
        let picklists = FakePicklistBook()
        let outcome = try await pickOrder(storedAs: .picked, version: 4, picklists)
        #expect(events(outcome.messages) == ["order.picked v4"])
        #expect(await picklists.assigned.isEmpty)
    }

    @Test("picked, then cancelled before picked went out (a crash): the picked event once more, nothing assigned")
    func pickedThenCancelled() async throws {
        let picklists = FakePicklistBook()
        let message = try await Fixture.handoff(.paid, storing: orders, as: .paid, version: 3)
        _ = try await orders.transition(orderID: "t-1001", to: .picked, stage: "pick", note: "", at: .now)
        _ = try await orders.transition(orderID: "t-1001", to: .cancelled, stage: "capture", note: "", at: .now)
        let outcome = await pick(picklists).handle(message, context: Fixture.context(.pick))
        #expect(events(outcome.messages) == ["order.picked v4"])
        #expect(await picklists.assigned.isEmpty)
    }

    @Test("an order cancelled before it was picked: nothing announced, nothing assigned")
    func cancelledBeforePick() async throws {
        let picklists = FakePicklistBook()
        #expect(try await pickOrder(storedAs: .cancelled, version: 4, picklists) == .done([]))
        #expect(await picklists.assigned.isEmpty)
    }

    @Test("a message that is no pick hand-off is dead-lettered")
    func notAHandoff() async throws {
        let outcome = await pick(FakePicklistBook()).handle(
            Fixture.handoff(try Fixture.order(), .confirmed, version: 2), context: Fixture.context(.pick))
        #expect(outcome == .deadLetter(reason: #"not a pick hand-off (expected {"action": "pick", "order": …})"#))
    }

    @Test("the picklist writer writes a closed picklist once, as CSV and PDF, its lines grouped by SKU")
    func writer() async throws {
        let picklists = FakePicklistBook()
        for (orderID, quantity) in [("t-1", 2), ("t-2", 1)] {
            _ = try await picklists.assign(orderID: orderID, lines: [.init(sku: "MUG-BLUE", quantity: quantity)],
                                           at: Fixture.now, window: .seconds(2), mostOrders: 50)
        }
        let settings = PickSettings(directory: folder, routing: .default, defaultItemWeightGrams: 500,
                                    window: .seconds(2), mostOrdersPerPicklist: 50)
        let writer = PicklistWriter(picklists: { _ in picklists }, inventory: FakeStockLedger(available: [:]),
                                    settings: settings, logger: Fixture.logger)
        await writer.writeDue()
        let csv = try String(contentsOfFile: folder + "/picklists/PL-1.csv", encoding: .utf8)
        #expect(csv.split(separator: "\r\n").dropFirst()
            == ["PL-1,A-01,MUG-BLUE,3,t-1,2", "PL-1,A-01,MUG-BLUE,3,t-2,1"])
        #expect(FileManager.default.fileExists(atPath: folder + "/picklists/PL-1.pdf"))
        #expect(await picklists.written == ["PL-1"])
        #expect(try await picklists.unwritten().isEmpty)
    }
}

/// The locations whose picklists a handler asked for.
private final class Locations: @unchecked Sendable {
    private let lock = NSLock()
    private var locations: [String] = []

    func add(_ location: String) { lock.withLock { locations.append(location) } }
    var all: [String] { lock.withLock { locations } }
}
