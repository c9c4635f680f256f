import Foundation
import Fulfilment
import OMSDomain
import OMSStore
import RedisClient
@testable import Stages
import Testing
import WorkerRuntime

@Suite("Capture: what an order, a cancel and a restock come to")
struct CaptureTests {
    let orders = FakeOrderRecords()
    let picklists = FakePicklistBook()

    func handler(stock: FakeStockLedger, holds: HoldRules = .none) -> CaptureHandler {
        CaptureHandler(orders: orders, inventory: stock, picklists: { [picklists] _ in picklists },
                       documents: Fixture.folder(), holds: holds, catalog: FakeCatalog(),
                       promise: DeliveryPromise(routing: .default, carrier: TableRateCarrier()))
    }

    func restock(_ quantity: Int, id: String) -> IncomingMessage {
        IncomingMessage(routingKey: "stock.restocked",
                        body: Array(#"{"sku": "MUG-BLUE", "quantity": \#(quantity), "restock_id": "\#(id)"}"#.utf8))
    }

    @Test("a valid order in stock is reserved: received v1, then confirmed v2 with its delivery date")
    func reserved() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 10])
        let outcome = await handler(stock: stock).handle(Fixture.place(Fixture.placeBody()),
                                                         context: Fixture.context(.capture))
        #expect(events(outcome.messages) == ["order.received v1", "order.confirmed v2"])
        let confirmed = try #require(outcome.messages.last)
        #expect(confirmed.mandatory)
        #expect(confirmed.event?.data.order?.id == "t-1001")
        #expect(confirmed.event?.data.estimatedDelivery != nil)
        #expect(await stock.held(by: "t-1001") == ["MUG-BLUE": 2])
        #expect(await stock.offeredLocations["t-1001"] == ["MAIN"], "the routing rules' locations, nearest first")
        #expect(await orders.stored("t-1001")?.status == .confirmed)
    }

    @Test("a restock at a location is added there")
    func restockAtLocation() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 0])
        let message = IncomingMessage(routingKey: "stock.restocked", body: Array(
            #"{"sku": "MUG-BLUE", "quantity": 4, "restock_id": "po-1", "location": "LON-1"}"#.utf8))
        #expect(await handler(stock: stock).handle(message, context: Fixture.context(.capture)) == .done([]))
        #expect(await stock.available["MUG-BLUE"] == 4)
        #expect(await stock.restockLocations == ["MUG-BLUE": "LON-1"])
    }

    @Test("a reservation that takes a SKU to its reorder point publishes stock.low before confirmed, once")
    func stockLow() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 5], reorderPoints: ["MUG-BLUE": 3])
        let capture = handler(stock: stock)
        let outcome = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        #expect(outcome.messages.map(\.routingKey) == ["order.received", "stock.low", "order.confirmed"])
        #expect(outcome.messages.first { $0.routingKey == "stock.low" }?.messageID == "stock.low:MUG-BLUE:3")
        let again = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        #expect(again.messages.map(\.routingKey) == ["order.received", "order.confirmed"])
    }

    @Test("an intake message capture does not take is dead-lettered naming the bindings to check")
    func notCaptures() async {
        let delivered = IncomingMessage(routingKey: "shipment.delivered", body: Array("""
            {"order_id": "t-1001", "tracking_number": "CA123456785GB", "delivered_at": "2026-11-25T12:00:00Z"}
            """.utf8))
        let outcome = await handler(stock: FakeStockLedger(available: [:])).handle(delivered,
                                                                                 context: Fixture.context(.capture))
        #expect(outcome == .deadLetter(reason: "oms-capture does not take shipment.delivered; check the bindings of "
            + "oms.intake"))
    }

    @Test("the same order again publishes received and confirmed again and reserves nothing more")
    func redelivered() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 10])
        let capture = handler(stock: stock)
        _ = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        let again = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        #expect(events(again.messages) == ["order.received v1", "order.confirmed v2"])
        #expect(await stock.available["MUG-BLUE"] == 8)
    }

    @Test("an order a crash left unannounced and a cancel overtook, placed again: capture's events again")
    func redeliveredAfterCancel() async throws {
        let capture = handler(stock: FakeStockLedger(available: ["MUG-BLUE": 10]))
        _ = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        _ = try await orders.transition(orderID: "t-1001", to: .cancelled, stage: "capture-cancel", note: "", at: .now)
        let again = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        #expect(events(again.messages) == ["order.received v1", "order.confirmed v2"])
    }

    @Test("an order short of stock is backordered with the SKUs it lacks, and queued for a restock")
    func backordered() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 1])
        let outcome = await handler(stock: stock).handle(Fixture.place(Fixture.placeBody()),
                                                         context: Fixture.context(.capture))
        #expect(events(outcome.messages) == ["order.received v1", "order.backordered v2"])
        #expect(outcome.messages.last?.event?.data.reason == "short of MUG-BLUE")
        #expect(await stock.held(by: "t-1001").isEmpty)
        #expect(await stock.backorderQueues["MUG-BLUE"] == ["t-1001"])
    }

    @Test("a restock confirms the backordered order and publishes it at once")
    func restockConfirmsBackorder() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 1])
        let capture = handler(stock: stock)
        _ = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        let published = Published()
        let outcome = await capture.handle(restock(5, id: "r-1"), context: Fixture.context(.capture,
                                                                                           publishing: published))
        #expect(outcome == .done([]))
        #expect(events(published.all) == ["order.confirmed v3"])
        #expect(await stock.backorderQueues["MUG-BLUE"] == [])
        #expect(await stock.available["MUG-BLUE"] == 4)
    }

    @Test("a restock too small for the oldest backorder confirms a smaller one behind it; counted once by its id")
    func restockSkipsTooLarge() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 0])
        let capture = handler(stock: stock)
        _ = await capture.handle(Fixture.place(Fixture.placeBody(id: "t-big", quantity: 5)),
                                 context: Fixture.context(.capture))
        _ = await capture.handle(Fixture.place(Fixture.placeBody(id: "t-small", quantity: 1)),
                                 context: Fixture.context(.capture))
        let published = Published()
        _ = await capture.handle(restock(2, id: "r-2"), context: Fixture.context(.capture, publishing: published))
        _ = await capture.handle(restock(2, id: "r-2"), context: Fixture.context(.capture, publishing: published))
        #expect(published.all.compactMap(\.event).map(\.data.orderID) == ["t-small"])
        #expect(await stock.backorderQueues["MUG-BLUE"] == ["t-big"])
        #expect(await stock.available["MUG-BLUE"] == 1)
    }

    @Test("a restock leaves a queued order still received, and only dequeues a cancelled one")
    func restockWaitsAndDrops() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 0])
        await orders.seed(try Fixture.order(id: "t-new"), status: .received, version: 1)
        await orders.seed(try Fixture.order(id: "t-gone"), status: .cancelled, version: 3)
        try await stock.addBackorder(orderID: "t-new", skus: ["MUG-BLUE"], receivedAt: Fixture.now)
        try await stock.addBackorder(orderID: "t-gone", skus: ["MUG-BLUE"], receivedAt: Fixture.now)
        let published = Published()
        _ = await handler(stock: stock).handle(restock(5, id: "r-3"),
                                               context: Fixture.context(.capture, publishing: published))
        #expect(published.all.isEmpty)
        #expect(await stock.backorderQueues["MUG-BLUE"] == ["t-new"])
        #expect(await stock.available["MUG-BLUE"] == 5)
    }

    @Test("an order a hold rule meets is held with the reason; `oms hold release` then reserves and confirms it")
    func heldAndReleased() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 10])
        let capture = handler(stock: stock, holds: HoldRules(maxTotal: [:], countries: ["GB"],
                                                             maxOrdersPerEmailPerHour: nil))
        let held = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        #expect(events(held.messages) == ["order.received v1", "order.on_hold v2"])
        #expect(held.messages.last?.event?.data.reason == "shipping country GB is on the hold list")
        #expect(await stock.held(by: "t-1001").isEmpty)
        let release = IncomingMessage(routingKey: "capture", body: HoldRelease(orderID: "t-1001").encoded())
        let released = await capture.handle(release, context: Fixture.context(.capture))
        #expect(events(released.messages) == ["order.confirmed v3"])
        #expect(await stock.held(by: "t-1001") == ["MUG-BLUE": 2])
        let again = await capture.handle(release, context: Fixture.context(.capture))
        #expect(events(again.messages) == ["order.confirmed v3"])
    }

    @Test("the same id with other content is dead-lettered as a conflict, the first order untouched")
    func conflict() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 10])
        let capture = handler(stock: stock)
        _ = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        let outcome = await capture.handle(Fixture.place(Fixture.placeBody(quantity: 3)),
                                           context: Fixture.context(.capture))
        #expect(outcome == .deadLetter(reason: CreationStep.conflictReason("t-1001")))
        #expect(await stock.held(by: "t-1001") == ["MUG-BLUE": 2])
    }

    @Test("an invalid order with a readable id is stored rejected, and its event goes with the dead letter")
    func rejected() async throws {
        let body = Array(#"{"id": "t-bad", "channel": "web", "lines": []}"#.utf8)
        let outcome = await handler(stock: FakeStockLedger(available: [:])).handle(Fixture.place(body),
                                                                                 context: Fixture.context(.capture))
        let reason = try #require(outcome.deadLetterReason)
        #expect(reason.hasPrefix("invalid message:"))
        #expect(events(outcome.messages) == ["order.rejected v2"])
        #expect(outcome.messages.first?.event?.data.reason == reason)
        #expect(await orders.stored("t-bad")?.status == .rejected)
    }

    @Test("a body that is not JSON is dead-lettered, with no event and nothing stored")
    func notJSON() async {
        let outcome = await handler(stock: FakeStockLedger(available: [:])).handle(Fixture.place(Array("{".utf8)),
                                                                                 context: Fixture.context(.capture))
        #expect(outcome == .deadLetter(reason: "message body is not valid JSON"))
        #expect(await orders.orders.isEmpty)
    }

    @Test("a cancel of a confirmed order releases its stock and publishes cancelled with the reason")
    func cancelConfirmed() async throws {
        let stock = FakeStockLedger(available: ["MUG-BLUE": 10])
        let capture = handler(stock: stock)
        _ = await capture.handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        let cancel = IncomingMessage(routingKey: "order.cancel",
                                     body: Array(#"{"order_id": "t-1001", "reason": "changed my mind"}"#.utf8))
        let outcome = await capture.handle(cancel, context: Fixture.context(.capture))
        #expect(events(outcome.messages) == ["order.cancelled v3"])
        #expect(outcome.messages.first?.event?.data.reason == "changed my mind")
        #expect(await stock.available["MUG-BLUE"] == 10)
    }

    @Test("a cancel of a paid order asks payment for a refund, once by its message id")
    func cancelPaid() async throws {
        let order = try Fixture.order()
        await orders.seed(order, status: .paid, version: 3)
        await orders.setEffect(Effect.charge, "ch_1", on: order.id)
        let cancel = IncomingMessage(routingKey: "order.cancel", body: Array(#"{"order_id": "t-1001"}"#.utf8))
        let outcome = await handler(stock: FakeStockLedger(available: [:])).handle(cancel,
                                                                                 context: Fixture.context(.capture))
        #expect(events(outcome.messages) == ["order.cancelled v4"])
        let refund = try #require(outcome.messages.last)
        #expect(refund.handoff?.action == .refund)
        #expect(refund.messageID == "t-1001:refund")
    }

    @Test("a cancel of a picked order takes it off its picklist")
    func cancelPicked() async throws {
        let order = try Fixture.order()
        await orders.seed(order, status: .picked, version: 4, fields: ["pick_location": "MAIN"])
        _ = try await picklists.assign(orderID: order.id, lines: [], at: Fixture.now, window: .seconds(1),
                                       mostOrders: 10)
        let cancel = IncomingMessage(routingKey: "order.cancel", body: Array(#"{"order_id": "t-1001"}"#.utf8))
        let outcome = await handler(stock: FakeStockLedger(available: [:])).handle(cancel,
                                                                                 context: Fixture.context(.capture))
        #expect(events(outcome.messages) == ["order.cancelled v5"])
        #expect(await picklists.voided == ["t-1001"])
    }

    @Test("a cancel refused while a return is under way is recorded and tells no one")
    func cancelDuringReturn() async throws {
        let order = try Fixture.order(id: "t-returning")
        await orders.seed(order, status: .returnRequested, version: 7)
        let capture = handler(stock: FakeStockLedger(available: [:]))
        let outcome = await capture.handle(IncomingMessage(routingKey: "order.cancel",
                                                           body: Array(#"{"order_id": "t-returning"}"#.utf8)),
                                           context: Fixture.context(.capture))
        #expect(outcome == .done([]))
        #expect(await orders.stored("t-returning")?.notes == ["cancel refused: a return is already under way"])
    }

    @Test("a cancel while the order is still received waits (retry); one for a shipped order is refused")
    func cancelTooEarlyOrLate() async throws {
        let early = try Fixture.order(id: "t-early"), late = try Fixture.order(id: "t-late")
        await orders.seed(early, status: .received, version: 1)
        await orders.seed(late, status: .shipped, version: 5)
        let capture = handler(stock: FakeStockLedger(available: [:]))
        let waits = await capture.handle(IncomingMessage(routingKey: "order.cancel",
                                                         body: Array(#"{"order_id": "t-early"}"#.utf8)),
                                         context: Fixture.context(.capture))
        #expect(waits.retryReason == "order t-early is still being captured; the cancel waits until it settles")
        let refused = await capture.handle(IncomingMessage(routingKey: "order.cancel",
                                                           body: Array(#"{"order_id": "t-late"}"#.utf8)),
                                           context: Fixture.context(.capture))
        guard case .done(let messages) = refused else {
            Issue.record("refused: \(refused)")
            return
        }
        #expect(messages.map(\.routingKey) == ["cancel.refused"], "the customer is told")
        let event = try JSONSerialization.jsonObject(with: Data(messages[0].body)) as? [String: Any]
        let data = event?["data"] as? [String: Any]
        #expect(data?["status"] as? String == "shipped" && data?["version"] as? Int == 5)
        #expect(data?["reason"] as? String == "it has already shipped")
        #expect(await orders.stored("t-late")?.notes == ["cancel refused: it has already shipped"])
    }

    @Test("Redis away: retried; a step a script refuses: dead-lettered with the store's words")
    func storeFails() async {
        let lost = RedisError(.connectionLost, "connection reset", command: "EVALSHA create")
        await orders.fail(with: lost)
        let away = await handler(stock: FakeStockLedger(available: ["MUG-BLUE": 10]))
            .handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        #expect(away == .retry(reason: "\(lost)"))
        let refusal = RedisError(.server, "ERR create: oms:order:{t-1001}:history is not a list",
                                 command: "EVALSHA create")
        await orders.fail(with: refusal)
        let refused = await handler(stock: FakeStockLedger(available: ["MUG-BLUE": 10]))
            .handle(Fixture.place(Fixture.placeBody()), context: Fixture.context(.capture))
        #expect(refused == .deadLetter(reason: "the store refused this step: \(refusal)"))
    }
}
