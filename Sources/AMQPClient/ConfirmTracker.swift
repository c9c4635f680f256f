/// Publisher confirms as a value: which publish sequence numbers the broker
/// has yet to confirm, and what settles when a basic.ack, basic.nack or
/// basic.return arrives. The I/O layer performs the outcomes; this is tested
/// with no server.
struct ConfirmTracker<Waiter> {
    struct Pending {
        var waiter: Waiter
        var exchange: String
        var routingKey: String
        var messageID: String?
        var mandatory: Bool
        var returned: AMQPError?
    }

    private(set) var nextSequence: UInt64 = 1
    private var pending: [UInt64: Pending] = [:]
    private var lowestPending: UInt64 = 1

    var outstanding: Int { pending.count }

    /// Records a publish about to be sent; returns its sequence number.
    mutating func register(_ waiter: Waiter, exchange: String, routingKey: String, messageID: String?,
                           mandatory: Bool) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        pending[sequence] = Pending(waiter: waiter, exchange: exchange, routingKey: routingKey,
                                    messageID: messageID, mandatory: mandatory)
        return sequence
    }

    /// basic.return comes before the basic.ack of the same message. Returns
    /// carry no sequence number, so the message is matched by message id when
    /// it has one, else by the oldest unconfirmed mandatory publish to the same
    /// exchange and routing key.
    mutating func markReturned(exchange: String, routingKey: String, messageID: String?, error: AMQPError) {
        let candidates = pending.keys.sorted().filter { sequence in
            let entry = pending[sequence]!
            guard entry.mandatory, entry.returned == nil else { return false }
            if let messageID { return entry.messageID == messageID }
            return entry.exchange == exchange && entry.routingKey == routingKey
        }
        if let first = candidates.first { pending[first]?.returned = error }
    }

    /// The waiters settled by a basic.ack (`nack: false`) or basic.nack.
    mutating func settle(deliveryTag: UInt64, multiple: Bool, nack: Bool) -> [(Waiter, Result<Void, AMQPError>)] {
        let range = multiple ? lowestPending...max(lowestPending, deliveryTag) : deliveryTag...deliveryTag
        var settled: [(Waiter, Result<Void, AMQPError>)] = []
        for sequence in range {
            guard let entry = pending.removeValue(forKey: sequence) else { continue }
            settled.append((entry.waiter, outcome(of: entry, nack: nack)))
        }
        while lowestPending < nextSequence, pending[lowestPending] == nil { lowestPending += 1 }
        return settled
    }

    /// Everything unconfirmed, when the channel is gone; numbering restarts at 1
    /// on the next channel.
    mutating func failAll() -> [Waiter] {
        let waiters = pending.keys.sorted().map { pending[$0]!.waiter }
        self = ConfirmTracker()
        return waiters
    }

    private func outcome(of entry: Pending, nack: Bool) -> Result<Void, AMQPError> {
        if nack {
            return .failure(AMQPError(.nacked, "the broker refused the message (basic.nack)",
                                      operation: "publish to \(entry.exchange) with key \(entry.routingKey)"))
        }
        if let returned = entry.returned { return .failure(returned) }
        return .success(())
    }
}
