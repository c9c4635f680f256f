import Foundation
import Fulfilment
import OMSDomain
import OMSStore
@testable import Stages
import Testing
import WorkerRuntime

@Suite("Ship: labels, tracking and delivery")
struct ShipTests {
    let orders = FakeOrderRecords()
    let stock = FakeStockLedger(available: ["MUG-BLUE": 0])
    let folder = Fixture.folder()

    func ship(_ carrier: FakeCarrier) -> ShipHandler {
        let table = RateTable.default
        return ShipHandler(orders: orders, inventory: stock, carrier: carrier, dispatch: table.dispatch,
                           routing: .default, defaultItemWeightGrams: table.defaultItemWeightGrams, directory: folder)
    }

    /// Ship's outcome for the `order.picked` hand-off of t-1001, stored in `status`.
    func shipOrder(storedAs status: OrderStatus = .picked, version: Int = 4, _ carrier: FakeCarrier) async throws
        -> Outcome {
        let message = try await Fixture.handoff(.picked, storing: orders, as: status, version: version)
        return await ship(carrier).handle(message, context: Fixture.context(.ship))
    }

    @Test("a picked order gets one label: shipped v5 with its tracking number, stock committed")
    func shipped() async throws {
        let carrier = FakeCarrier()
        let outcome = try await shipOrder(carrier)
        #expect(events(outcome.messages) == ["order.shipped v5"])
        let data = try #require(outcome.messages.first?.event?.data)
        let tracking = try #require(data.trackingNumber)
        #expect(data.carrier == "table-rate")
        #expect(data.estimatedDelivery != nil)
        #expect(await orders.effects["t-1001"]?[Effect.label] == tracking)
        #expect(await orders.stored("t-1001")?.fields["tracking_number"] == tracking)
        #expect(FileManager.default.fileExists(atPath: folder + "/labels/t-1001.pdf"))

        let again = await ship(carrier).handle(Fixture.handoff(try Fixture.order(), .picked, version: 4),
                                               context: Fixture.context(.ship))
        #expect(events(again.messages) == ["order.shipped v5"])
        #expect(again.messages.first?.event?.data.trackingNumber == tracking)
        #expect(carrier.labelsSold == 1)
    }

    @Test("a split order: a label per parcel, shipment.shipped for each, then order.shipped listing both; a redelivery buys nothing more and announces the same")
    func shippedInParcels() async throws {
        var order = try Fixture.order()
        var tea = order.lines[0]
        (tea.sku, tea.quantity) = ("TEA", 1)
        order.lines.append(tea)
        let parcels = Parcel.split(order, heldAt: ["MUG-BLUE": "MAIN", "TEA": "SECOND"], preference: ["MAIN", "SECOND"])
        await orders.seed(order, status: .picked, version: 4, fields: ["parcels": Parcel.encode(parcels)])
        let carrier = FakeCarrier()
        let handoff = Fixture.handoff(order, .picked, version: 4)
        let outcome = await ship(carrier).handle(handoff, context: Fixture.context(.ship))
        #expect(outcome.messages.map(\.routingKey) == ["shipment.shipped", "shipment.shipped", "order.shipped"])
        let shipped = try #require(outcome.messages.last?.event?.data.parcels)
        #expect(shipped.map(\.number) == [1, 2] && shipped.map(\.location) == ["MAIN", "SECOND"])
        #expect(shipped.map { $0.lines.map(\.sku) } == [["MUG-BLUE"], ["TEA"]])
        #expect(Set(shipped.map(\.trackingNumber)).count == 2)
        let fields = try #require(await orders.stored("t-1001")?.fields)
        #expect(fields["tracking_numbers"] == shipped.map(\.trackingNumber).joined(separator: ","))
        #expect(await orders.effects["t-1001"]?[Effect.label(parcel: 2)] == shipped[1].trackingNumber)
        for number in [1, 2] { #expect(FileManager.default.fileExists(atPath: folder + "/labels/t-1001-\(number).pdf")) }
        #expect(carrier.labelsSold == 2)

        let again = await ship(carrier).handle(handoff, context: Fixture.context(.ship))
        #expect(again.messages.map(\.messageID) == outcome.messages.map(\.messageID))
        #expect(again.messages.last?.event?.data.parcels == shipped)
        #expect(carrier.labelsSold == 2)
    }

    @Test("a carrier's refusal is dead-lettered with its reason; a carrier away is retried")
    func carrierFails() async throws {
        let refused = try await shipOrder(FakeCarrier(failure: CarrierError(.refused, "too heavy",
                                                                            carrier: "table-rate")))
        #expect(refused == .deadLetter(reason: "too heavy"))
        let away = try await shipOrder(FakeCarrier(failure: CarrierError(.unavailable, "HTTP 503",
                                                                         carrier: "table-rate")))
        #expect(away == .retry(reason: "table-rate is unavailable: HTTP 503"))
        #expect(await orders.stored("t-1001")?.status == .picked)
    }

    @Test("an order cancelled before the label claim gets no label")
    func cancelledBeforeLabel() async throws {
        let carrier = FakeCarrier()
        #expect(try await shipOrder(storedAs: .cancelled, version: 5, carrier) == .done([]))
        #expect(carrier.labelsSold == 0)
    }

    @Test("an order read behind picked (a Redis node that lost the move) is retried, never dropped, and buys no label")
    func readBehind() async throws {
        let carrier = FakeCarrier()
        let outcome = try await shipOrder(storedAs: .paid, version: 3, carrier)
        #expect(outcome == .retry(reason: "order t-1001 reads paid, behind the order.picked that handed it over: "
            + "Redis may be failing over"))
        #expect(carrier.labelsSold == 0)
        #expect(await orders.stored("t-1001")?.status == .paid)
    }

    @Test("shipment.delivered with the order's tracking number: delivered; with another: dead-lettered")
    func delivered() async throws {
        let order = try Fixture.order()
        await orders.seed(order, status: .shipped, version: 5, fields: ["tracking_number": "CA123456785GB"])
        func delivery(_ tracking: String) -> IncomingMessage {
            IncomingMessage(routingKey: "shipment.delivered", body: Array("""
                {"order_id": "t-1001", "tracking_number": "\(tracking)", "delivered_at": "2026-11-25T12:00:00Z"}
                """.utf8))
        }
        let wrong = await ship(FakeCarrier()).handle(delivery("CX000000005GB"), context: Fixture.context(.ship))
        #expect(wrong.deadLetterReason?.hasPrefix("tracking number CX000000005GB is not order t-1001's") == true)
        let right = await ship(FakeCarrier()).handle(delivery("CA123456785GB"), context: Fixture.context(.ship))
        #expect(events(right.messages) == ["order.delivered v6"])
        #expect(right.messages.first?.event?.data.trackingNumber == "CA123456785GB")
    }

    @Test("a label plan: a domestic order ships from MAIN with no customs, on the cheapest standard rate")
    func domesticPlan() throws {
        let plan = try LabelPlan(order: try Fixture.order(), routing: .default, pickLocation: nil, carrier: TableRateCarrier(),
                                 defaultItemWeightGrams: 500)
        #expect(plan.route.location == "MAIN")
        #expect(plan.customs == nil)
        #expect(plan.shipment.destinationCountry == "GB")
        #expect(plan.rate.service == .standard)
        #expect(plan.weight == 1000)
    }

    @Test("an order abroad whose lines have no HS code is dead-lettered before any label is claimed")
    func noCustoms() async throws {
        let order = try Fixture.order(country: "HK")
        await orders.seed(order, status: .picked, version: 4)
        let carrier = FakeCarrier()
        let outcome = await ship(carrier).handle(Fixture.handoff(order, .picked, version: 4),
                                                 context: Fixture.context(.ship))
        #expect(outcome.deadLetterReason?.hasPrefix("cannot declare customs:") == true)
        #expect(await orders.effects["t-1001"] == nil)
        #expect(carrier.labelsSold == 0)
    }
}
