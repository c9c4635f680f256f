import OMSDomain
@testable import Stages
import Testing

@Suite("The hand-off decision of payment, pick and ship")
struct HandoffStepTests {
    @Test("a hand-off by status: start proceeds, target announces, a status before start is behind, others skip, none is missing")
    func handoff() {
        #expect(HandoffStep(stored: (.paid, 3), start: .paid, target: .picked) == .proceed)
        #expect(HandoffStep(stored: (.picked, 4), start: .paid, target: .picked) == .announce(version: 4))
        #expect(HandoffStep(stored: (.confirmed, 2), start: .paid, target: .picked) == .behind(.confirmed))
        #expect(HandoffStep(stored: (.onHold, 2), start: .picked, target: .shipped) == .behind(.onHold))
        #expect(HandoffStep(stored: (.cancelled, 4), start: .paid, target: .picked) == .skip(.cancelled))
        #expect(HandoffStep(stored: (.shipped, 5), start: .paid, target: .picked) == .skip(.shipped))
        #expect(HandoffStep(stored: nil, start: .paid, target: .picked) == .missing)
    }

    @Test("leads(to:) follows the state machine forward, never back or to itself")
    func leads() {
        #expect(OrderStatus.received.leads(to: .shipped))
        #expect(OrderStatus.backordered.leads(to: .refunded))
        #expect(!OrderStatus.shipped.leads(to: .picked))
        #expect(!OrderStatus.cancelled.leads(to: .paid))
        #expect(!OrderStatus.paid.leads(to: .paid))
        #expect(!OrderStatus.delivered.leads(to: .delivered))
    }
}
