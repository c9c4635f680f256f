import Testing
@testable import AMQPClient

@Suite("Ack batch")
struct AckBatchTests {
    let now = ContinuousClock.now

    func batch(delivered tags: ClosedRange<UInt64>) -> AckBatch {
        var batch = AckBatch(patience: .milliseconds(50))
        for tag in tags { batch.delivered(tag) }
        return batch
    }

    @Test("deliveries finished in order are acked with one multiple-ack")
    func contiguousPrefix() {
        var batch = batch(delivered: 1...5)
        for tag: UInt64 in [3, 1, 2] { batch.finish(tag, at: now) }
        #expect(batch.flush(at: now) == [.ackUpTo(3)])
        #expect(batch.flush(at: now) == [])
        batch.finish(4, at: now)
        batch.finish(5, at: now)
        #expect(batch.flush(at: now) == [.ackUpTo(5)])
    }

    @Test("a finished delivery behind one in flight waits for it, so the multiple-ack never covers the unfinished")
    func heldBehindGap() {
        var batch = batch(delivered: 1...4)
        batch.finish(2, at: now)
        batch.finish(4, at: now)
        #expect(batch.flush(at: now) == [])
        batch.finish(1, at: now)
        #expect(batch.flush(at: now) == [.ackUpTo(2)])
        batch.finish(3, at: now)
        #expect(batch.flush(at: now) == [.ackUpTo(4)])
    }

    @Test("held longer than its patience, a finished delivery is acked alone")
    func overdueAckedAlone() {
        var batch = batch(delivered: 1...3)
        batch.finish(2, at: now)
        batch.finish(3, at: now + .milliseconds(40))
        #expect(batch.flush(at: now + .milliseconds(60)) == [.ack(2)])
        batch.finish(1, at: now + .milliseconds(70))
        #expect(batch.flush(at: now + .milliseconds(70)) == [.ackUpTo(3)], "2 is not acked twice")
    }

    @Test("a nacked delivery is left out; a direct multiple-ack settles everything before it")
    func settledOtherwise() {
        var batch = batch(delivered: 1...6)
        batch.settledAlone(1)
        batch.finish(2, at: now)
        #expect(batch.flush(at: now) == [.ackUpTo(2)])
        batch.finish(4, at: now)
        batch.settledUpTo(4)
        batch.finish(5, at: now)
        #expect(batch.flush(at: now) == [.ackUpTo(5)])
        #expect(batch.isEmpty)
    }

    @Test("after a reconnect nothing old is acked")
    func resetForgets() {
        var batch = batch(delivered: 1...2)
        batch.finish(1, at: now)
        batch.reset()
        #expect(batch.flush(at: now) == [])
        batch.delivered(1)
        batch.finish(1, at: now)
        #expect(batch.flush(at: now) == [.ackUpTo(1)])
    }
}
