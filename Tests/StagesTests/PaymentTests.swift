import Fulfilment
import OMSDomain
import OMSStore
@testable import Stages
import Testing
import WorkerRuntime

@Suite("Payment: charges and refunds")
struct PaymentTests {
    let orders = FakeOrderRecords()
    let stock = FakeStockLedger(available: ["MUG-BLUE": 8])
    let gateway = FakeGateway()

    var payment: PaymentHandler { PaymentHandler(orders: orders, inventory: stock, gateway: gateway) }

    func confirmed(token: String = "tok_visa", prepaid: Bool = false) async throws -> Order {
        let order = try Fixture.order(prepaid: prepaid, token: token)
        await orders.seed(order, status: .confirmed, version: 2)
        _ = try await stock.reserve(orderID: order.id, lines: [("MUG-BLUE", 2)], locations: [])
        return order
    }

    @Test("an approved charge moves the order to paid and hands it to pick; the capture is recorded")
    func approved() async throws {
        let order = try await confirmed()
        let outcome = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                           context: Fixture.context(.payment))
        #expect(events(outcome.messages) == ["order.paid v3"])
        #expect(outcome.messages.first?.mandatory == true)
        #expect(await orders.effects["t-1001"]?[Effect.charge] == "ch_t-1001:capture")
        #expect(await orders.stored("t-1001")?.fields["payment_reference"] == "ch_t-1001:capture")
    }

    @Test("a prepaid order is paid by its channel: paid with the channel as reference, no gateway call")
    func prepaid() async throws {
        let order = try await confirmed(prepaid: true)
        let outcome = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                           context: Fixture.context(.payment))
        #expect(events(outcome.messages) == ["order.paid v3"])
        #expect(await orders.stored("t-1001")?.fields["payment_reference"] == "prepaid:web")
        #expect(await gateway.calls.isEmpty)
    }

    @Test("a redelivered charge calls the gateway no more and announces paid again")
    func chargedOnce() async throws {
        let order = try await confirmed()
        _ = await payment.handle(Fixture.handoff(order, .confirmed, version: 2), context: Fixture.context(.payment))
        let again = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                         context: Fixture.context(.payment))
        #expect(events(again.messages) == ["order.paid v3"])
        #expect(await gateway.calls == ["t-1001:authorize": 1, "t-1001:capture": 1])
    }

    @Test("a declined card cancels the order with the gateway's reason and releases its stock")
    func declined() async throws {
        let order = try await confirmed(token: "tok_chargeDeclined")
        let outcome = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                           context: Fixture.context(.payment))
        #expect(events(outcome.messages) == ["order.cancelled v3"])
        #expect(outcome.messages.first?.event?.data.reason == "payment declined: card declined")
        #expect(await stock.held(by: "t-1001").isEmpty)
        #expect(await stock.available["MUG-BLUE"] == 8)
    }

    @Test("a gateway that does not answer: retried, the order still confirmed")
    func unavailable() async throws {
        let order = try await confirmed(token: "tok_unavailable")
        let outcome = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                           context: Fixture.context(.payment))
        #expect(outcome == .retry(reason: "payment gateway unavailable: timed out"))
        #expect(await orders.stored("t-1001")?.status == .confirmed)
    }

    @Test("an order cancelled before payment took it is not charged")
    func cancelledMeanwhile() async throws {
        let order = try Fixture.order()
        await orders.seed(order, status: .cancelled, version: 3)
        let outcome = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                           context: Fixture.context(.payment))
        #expect(outcome == .done([]))
        #expect(await gateway.calls.isEmpty)
    }

    @Test("paid, then cancelled before paid went out (a crash): the paid event once more, no second charge")
    func paidThenCancelled() async throws {
        let order = try await confirmed()
        _ = await payment.handle(Fixture.handoff(order, .confirmed, version: 2), context: Fixture.context(.payment))
        _ = try await orders.transition(orderID: order.id, to: .cancelled, stage: "capture", note: "", at: .now)
        let again = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                         context: Fixture.context(.payment))
        #expect(events(again.messages) == ["order.paid v3"])
        #expect(await gateway.calls == ["t-1001:authorize": 1, "t-1001:capture": 1])
    }

    @Test("a copy killed after the gateway took the money, then the order cancelled: the money goes back, once")
    func chargedThenCancelledUnpaid() async throws {
        let order = try await confirmed()
        await orders.setEffect(Effect.chargeAttempt, "1", on: order.id)
        _ = try await gateway.capture(try await gateway.authorize(amount: try order.total, token: "tok_visa",
                                                                   idempotencyKey: "t-1001:authorize"),
                                      idempotencyKey: "t-1001:capture")
        _ = try await orders.transition(orderID: order.id, to: .cancelled, stage: "capture", note: "", at: .now)
        for _ in 1...2 {
            let outcome = await payment.handle(Fixture.handoff(order, .confirmed, version: 2),
                                               context: Fixture.context(.payment))
            #expect(outcome == .done([]))
        }
        #expect(await orders.effects["t-1001"]?[Effect.refund] != nil)
        #expect(await gateway.calls["t-1001:refund"] == 1)
    }

    @Test("an order not stored is dead-lettered")
    func missing() async throws {
        let outcome = await payment.handle(Fixture.handoff(try Fixture.order(), .confirmed, version: 2),
                                           context: Fixture.context(.payment))
        #expect(outcome == .deadLetter(reason: HandoffStep.missingReason("t-1001")))
    }

    @Test("a cancelled order's refund gives the capture back once, however often it is asked")
    func refundOnce() async throws {
        let order = try Fixture.order()
        await orders.seed(order, status: .cancelled, version: 4)
        await orders.setEffect(Effect.charge, "ch_1", on: order.id)
        let refund = Fixture.work(Handoff(action: .refund, order: order, reason: "changed my mind"), to: .payment)
        #expect(await payment.handle(refund, context: Fixture.context(.payment)) == .done([]))
        #expect(await payment.handle(refund, context: Fixture.context(.payment)) == .done([]))
        #expect(await gateway.calls == ["t-1001:refund": 1])
        #expect(await orders.effects["t-1001"]?[Effect.refund] == "re_t-1001:refund")
        #expect(await orders.stored("t-1001")?.notes == ["refunded 25.00 GBP (changed my mind)"])
    }

    @Test("a returned order's refund moves it to refunded, announcing the amount and who pays")
    func refundReturn() async throws {
        let order = try Fixture.order()
        await orders.seed(order, status: .returned, version: 7)
        await orders.setEffect(Effect.charge, "ch_1", on: order.id)
        let refund = Fixture.work(Handoff(action: .refund, order: order, reason: "return", amount: 1250), to: .payment)
        let outcome = await payment.handle(refund, context: Fixture.context(.payment))
        #expect(events(outcome.messages) == ["order.refunded v8"])
        let data = try #require(outcome.messages.first?.event?.data)
        #expect(data.refundAmount == 1250)
        #expect(data.refundBy == "gateway")
    }

    @Test("a prepaid order's refund is owed by its channel: refunded and refund.owed, no gateway call")
    func refundPrepaid() async throws {
        let order = try Fixture.order(prepaid: true)
        await orders.seed(order, status: .returned, version: 7)
        let refund = Fixture.work(Handoff(action: .refund, order: order, reason: "return"), to: .payment)
        let outcome = await payment.handle(refund, context: Fixture.context(.payment))
        #expect(outcome.messages.map(\.routingKey) == ["order.refunded", "refund.owed"])
        #expect(outcome.messages.first?.event?.data.refundBy == "channel")
        #expect(await gateway.calls.isEmpty)
    }

    @Test("a body that is no hand-off is dead-lettered")
    func notAHandoff() async {
        let outcome = await payment.handle(IncomingMessage(routingKey: "payment", body: Array("{}".utf8)),
                                           context: Fixture.context(.payment))
        #expect(outcome.deadLetterReason?.hasPrefix("not a payment hand-off") == true)
    }
}
