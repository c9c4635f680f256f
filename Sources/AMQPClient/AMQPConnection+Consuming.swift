import ConnectionThread
import Logging

/// Consumers, gets and acknowledgements.
extension AMQPConnection {
    /// Starts consuming `queue` with at most `prefetch` unacked deliveries.
    public func consume(queue: String, prefetch: UInt16) async throws -> AMQPConsumer {
        let handle = try await connectedHandle()
        let brokerTag = try onMainChannel(handle) { try $0.consume(queue: queue, prefetch: prefetch) }
        let id = nextConsumerID
        nextConsumerID += 1
        let (stream, continuation) = AsyncThrowingStream<AMQPDelivery, any Error>.makeStream()
        consumers[id] = ConsumerRegistration(queue: queue, prefetch: prefetch, continuation: continuation,
                                             brokerTag: brokerTag)
        consumerIDsByTag[brokerTag] = id
        return AMQPConsumer(id: id, connection: self, deliveries: stream)
    }

    func cancelConsumer(_ id: Int) throws {
        guard let registration = consumers.removeValue(forKey: id) else { return }
        registration.continuation.finish()
        guard let tag = registration.brokerTag, let handle else { return }
        consumerIDsByTag[tag] = nil
        try onMainChannel(handle) { try $0.cancel(consumerTag: tag) }
    }

    /// basic.get: one message or nil when the queue is empty.
    public func get(queue: String) async throws -> AMQPDelivery? {
        let handle = try await connectedHandle()
        guard let (info, content) = try onOtherChannel(handle, { try $0.get(queue: queue) }) else { return nil }
        return delivery(info, content, queue: queue)
    }

    /// Acknowledges a delivery (and, with `multiple`, every earlier one on its
    /// channel) now. Returns false, sending nothing, when the delivery came
    /// before a reconnect: the broker will deliver it again.
    @discardableResult
    public func ack(_ delivery: AMQPDelivery, multiple: Bool = false) throws -> Bool {
        try settle(delivery, multiple: multiple) {
            try $0.ack(delivery.deliveryTag, multiple: multiple, channel: delivery.channel)
        }
    }

    /// Acknowledges a consumed delivery at the end of this turn of the
    /// connection's thread, with every other delivery finished by then: one
    /// multiple-ack where their tags allow (`AckBatch`). Returns false when
    /// the delivery came before a reconnect: the broker will deliver it again.
    @discardableResult
    public func finish(_ delivery: AMQPDelivery) -> Bool {
        guard handle != nil, lifecycle.isOpen, delivery.connectionGeneration == lifecycle.generation,
              delivery.channel == ConnectionHandle.mainChannel else { return false }
        acks.finish(delivery.deliveryTag, at: .now)
        return true
    }

    /// Negative acknowledgement: back to the queue with `requeue`, else to the
    /// queue's dead-letter exchange (or dropped when it has none).
    @discardableResult
    public func nack(_ delivery: AMQPDelivery, multiple: Bool = false, requeue: Bool) throws -> Bool {
        try settle(delivery, multiple: multiple) {
            try $0.nack(delivery.deliveryTag, multiple: multiple, requeue: requeue, channel: delivery.channel)
        }
    }

    @discardableResult
    public func reject(_ delivery: AMQPDelivery, requeue: Bool) throws -> Bool {
        try settle(delivery, multiple: false) {
            try $0.reject(delivery.deliveryTag, requeue: requeue, channel: delivery.channel)
        }
    }

    /// Sends a settlement now, and keeps the ack batch from covering it later.
    func settle(_ delivery: AMQPDelivery, multiple: Bool,
                        _ operation: (ConnectionHandle) throws -> Void) throws -> Bool {
        guard let handle, lifecycle.isOpen, delivery.connectionGeneration == lifecycle.generation else {
            return false
        }
        try onMainChannel(handle, operation)
        if delivery.channel == ConnectionHandle.mainChannel {
            if multiple { acks.settledUpTo(delivery.deliveryTag) } else { acks.settledAlone(delivery.deliveryTag) }
        }
        return true
    }

    /// Sends the acks the batch has ready: before every wait of the thread,
    /// and before closing.
    func flushAcks() {
        guard !acks.isEmpty, let handle, lifecycle.isOpen else { return }
        do {
            for action in acks.flush(at: .now) {
                switch action {
                case .ackUpTo(let tag): try handle.ack(tag, multiple: true, channel: ConnectionHandle.mainChannel)
                case .ack(let tag): try handle.ack(tag, multiple: false, channel: ConnectionHandle.mainChannel)
                }
            }
        } catch {
            connectionLost(error)
        }
    }
}
