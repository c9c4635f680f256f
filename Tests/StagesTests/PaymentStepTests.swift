import Fulfilment
import OMSDomain
import OMSStore
@testable import Stages
import Testing

@Suite("Payment's decisions")
struct PaymentStepTests {
    @Test("the gateway's answer: charged pays, declined cancels, unavailable retries")
    func answer() {
        #expect(ChargeStep(answer: .success("ch_1")) == .pay(reference: "ch_1"))
        #expect(ChargeStep(answer: .failure(.declined("no funds"))) == .cancel(reason: "payment declined: no funds"))
        #expect(ChargeStep(answer: .failure(.unavailable("503")))
            == .retry(reason: "payment gateway unavailable: 503"))
    }

    @Test("the move to paid: done announces, refused by a cancel refunds, missing dead-letters")
    func paid() {
        #expect(ChargeStep(paid: .applied(from: .confirmed, version: 3)) == .announce(version: 3))
        #expect(ChargeStep(paid: .already(version: 3)) == .announce(version: 3))
        #expect(ChargeStep(paid: .refused(current: .cancelled, version: 3)) == .refund(current: .cancelled))
        #expect(ChargeStep(paid: .missing) == .missing)
    }

    @Test("refused because another delivery paid and the order moved on: no refund (found by a fresh-clone run)",
          arguments: [OrderStatus.picked, .shipped, .delivered, .returned, .refunded])
    func paidElsewhere(current: OrderStatus) {
        #expect(ChargeStep(paid: .refused(current: current, version: 5)) == .paidElsewhere(current: current))
    }

    @Test("a refund plan: the hand-off's amount, else the order's total; prepaid is owed by the channel")
    func refundPlan() throws {
        let card = try RefundPlan(Handoff(action: .refund, order: try Fixture.order()))
        #expect(card.amount.minorUnits == 2500)
        #expect(card.note(refunded: false) == "refunded 25.00 GBP (nothing was charged)")
        #expect(card.fields == ["refund_amount": "2500", "refund_by": "gateway"])
        #expect(card.counting == [.refunds(currency: "GBP"): 2500])
        let prepaid = try RefundPlan(Handoff(action: .refund, order: try Fixture.order(prepaid: true), amount: 1250))
        #expect(prepaid.note(refunded: false) == "refund of 12.50 GBP owed by web, which collected the payment")
        #expect(prepaid.counting == [.refundsOwed(currency: "GBP"): 1250])
    }
}
