/// The deliveries of one channel that consumers have finished, acked to the
/// broker in as few frames as possible.
///
/// An ack with `multiple` settles every unsettled delivery up to its tag on
/// the channel, so it may only cover tags that are all finished. The batch
/// therefore keeps every tag delivered on the channel in order; a flush acks
/// the finished prefix with one frame, and holds finished tags behind one
/// still in flight until that one finishes or they have waited `patience`
/// (then each is acked alone), so one slow message cannot hold the prefetch
/// window of the rest. A value with no I/O: the connection performs its
/// actions, and tests drive it without a broker.
struct AckBatch {
    enum Action: Equatable {
        /// basic.ack with multiple: every delivery up to and including the tag.
        case ackUpTo(UInt64)
        /// basic.ack of this delivery alone.
        case ack(UInt64)
    }

    /// Delivered and not yet settled, in delivery order (ascending tags).
    private var outstanding: [UInt64] = []
    private var start = 0
    /// Finished, not yet sent, with when each finished.
    private var finished: [UInt64: ContinuousClock.Instant] = [:]
    let patience: Duration

    init(patience: Duration = .milliseconds(50)) {
        self.patience = patience
    }

    var isEmpty: Bool { finished.isEmpty }

    mutating func delivered(_ tag: UInt64) {
        outstanding.append(tag)
    }

    /// A consumer is done with the delivery: ack it at the next flush.
    mutating func finish(_ tag: UInt64, at now: ContinuousClock.Instant) {
        finished[tag] = now
    }

    /// The delivery was settled another way (nack, reject, a direct ack): no
    /// later ack may cover it.
    mutating func settledAlone(_ tag: UInt64) {
        finished[tag] = nil
        if let index = outstanding[start...].firstIndex(of: tag) { outstanding.remove(at: index) }
    }

    /// Every delivery up to the tag was settled by one frame sent directly.
    mutating func settledUpTo(_ tag: UInt64) {
        while start < outstanding.count, outstanding[start] <= tag {
            finished[outstanding[start]] = nil
            start += 1
        }
    }

    /// What to send now.
    mutating func flush(at now: ContinuousClock.Instant) -> [Action] {
        guard !finished.isEmpty else { return [] }
        var actions: [Action] = []
        var last: UInt64?
        while start < outstanding.count, finished.removeValue(forKey: outstanding[start]) != nil {
            last = outstanding[start]
            start += 1
        }
        if let last { actions.append(.ackUpTo(last)) }
        let overdue = finished.filter { now - $0.value >= patience }.keys.sorted()
        for tag in overdue {
            actions.append(.ack(tag))
            settledAlone(tag)
        }
        compact()
        return actions
    }

    /// Everything is forgotten: after a reconnect no old tag can be settled.
    mutating func reset() {
        outstanding.removeAll()
        start = 0
        finished.removeAll()
    }

    private mutating func compact() {
        guard start > 1024, start * 2 > outstanding.count else { return }
        outstanding.removeFirst(start)
        start = 0
    }
}
