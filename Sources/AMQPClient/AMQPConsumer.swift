/// The deliveries of one consumer, as an async sequence. The sequence goes on
/// across reconnects (the broker redelivers what was unacked, flagged
/// `redelivered`) and ends when the consumer is cancelled or the connection
/// closed.
public struct AMQPConsumer: AsyncSequence, Sendable {
    public typealias Element = AMQPDelivery

    let id: Int
    let connection: AMQPConnection
    let deliveries: AsyncThrowingStream<AMQPDelivery, any Error>

    public func makeAsyncIterator() -> AsyncThrowingStream<AMQPDelivery, any Error>.AsyncIterator {
        deliveries.makeAsyncIterator()
    }

    /// Stops new deliveries; those already received stay valid to ack or nack.
    public func cancel() async throws {
        try await connection.cancelConsumer(id)
    }
}
