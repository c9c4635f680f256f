/// A message delivered by the broker, to be acked, nacked or rejected through
/// the connection it came from.
public struct AMQPDelivery: Sendable, Equatable {
    public var deliveryTag: UInt64
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var headers: AMQPTable
    public var contentType: String?
    public var messageID: String?
    public var correlationID: String?
    public var timestamp: UInt64?
    /// The queue it came from (basic.get) or the consumer's queue.
    public var queue: String
    /// Delivery tags are only valid on the channel instance they came from:
    /// after a reconnect, an ack for an older delivery must not be sent.
    let channel: UInt16
    let connectionGeneration: UInt64

    /// How many times the broker has tried this message before: quorum queues
    /// count failed deliveries in `x-delivery-count`.
    public var deliveryCount: Int64 {
        headers["x-delivery-count"]?.int ?? 0
    }
}
