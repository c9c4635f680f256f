import Testing
@testable import AMQPClient

@Suite("Publisher confirms")
struct ConfirmTrackerTests {
    private func tracker(publishing count: Int, mandatory: Bool = false) -> ConfirmTracker<Int> {
        var tracker = ConfirmTracker<Int>()
        for index in 1...count {
            _ = tracker.register(index, exchange: "oms.intake", routingKey: "order.place",
                                 messageID: "m\(index)", mandatory: mandatory)
        }
        return tracker
    }

    @Test("sequence numbers start at 1 and increase")
    func numbering() {
        var tracker = ConfirmTracker<Int>()
        #expect(tracker.register(0, exchange: "x", routingKey: "k", messageID: nil, mandatory: false) == 1)
        #expect(tracker.register(0, exchange: "x", routingKey: "k", messageID: nil, mandatory: false) == 2)
    }

    @Test("a multiple ack settles every earlier publish")
    func multipleAck() {
        var tracker = tracker(publishing: 5)
        let settled = tracker.settle(deliveryTag: 3, multiple: true, nack: false)
        #expect(settled.map(\.0) == [1, 2, 3])
        #expect(settled.allSatisfy { (try? $0.1.get()) != nil })
        #expect(tracker.outstanding == 2)
    }

    @Test("a single ack settles only its own publish, out of order")
    func singleAck() {
        var tracker = tracker(publishing: 3)
        #expect(tracker.settle(deliveryTag: 2, multiple: false, nack: false).map(\.0) == [2])
        #expect(tracker.settle(deliveryTag: 3, multiple: true, nack: false).map(\.0) == [1, 3])
        #expect(tracker.outstanding == 0)
    }

    @Test("a nack fails the publish as refused")
    func nack() throws {
        var tracker = tracker(publishing: 2)
        let settled = tracker.settle(deliveryTag: 2, multiple: true, nack: true)
        #expect(settled.count == 2)
        for (_, result) in settled {
            #expect(throws: AMQPError.self) { try result.get() }
            if case .failure(let error) = result { #expect(error.kind == .nacked) }
        }
    }

    @Test("a returned mandatory publish fails as unroutable when its ack comes")
    func returned() {
        var tracker = tracker(publishing: 3, mandatory: true)
        let error = AMQPError(.unroutable, "no route", code: 312, operation: "publish")
        tracker.markReturned(exchange: "oms.intake", routingKey: "order.place", messageID: "m2", error: error)
        let results = tracker.settle(deliveryTag: 3, multiple: true, nack: false)
        #expect(results.map(\.0) == [1, 2, 3])
        #expect(results.map { (try? $0.1.get()) != nil } == [true, false, true])
    }

    @Test("losing the channel fails every unconfirmed publish and restarts numbering")
    func failAll() {
        var tracker = tracker(publishing: 4)
        _ = tracker.settle(deliveryTag: 1, multiple: false, nack: false)
        #expect(tracker.failAll() == [2, 3, 4])
        #expect(tracker.outstanding == 0)
        #expect(tracker.nextSequence == 1)
    }
}
