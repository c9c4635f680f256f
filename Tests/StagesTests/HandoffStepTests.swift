import OMSDomain
@testable import Stages
import Testing

@Suite("The hand-off decision of payment, pick and ship")
struct HandoffStepTests {
    @Test("a hand-off by status: start proceeds, target announces, others skip, none is missing")
    func handoff() {
        #expect(HandoffStep(stored: (.paid, 3), start: .paid, target: .picked) == .proceed)
        #expect(HandoffStep(stored: (.picked, 4), start: .paid, target: .picked) == .announce(version: 4))
        #expect(HandoffStep(stored: (.cancelled, 4), start: .paid, target: .picked) == .skip(.cancelled))
        #expect(HandoffStep(stored: nil, start: .paid, target: .picked) == .missing)
    }
}
