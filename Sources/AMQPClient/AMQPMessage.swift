/// A message to publish.
public struct AMQPMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var headers: AMQPTable
    public var contentType: String?
    public var messageID: String?
    public var correlationID: String?
    /// Delivery mode 2: written to disk by the broker. Default on.
    public var persistent: Bool
    /// Ask the broker to return the message when no queue matches; the
    /// publish then fails with `.unroutable` instead of vanishing.
    public var mandatory: Bool
    /// The AMQP `timestamp` property: seconds since 1970.
    public var timestamp: UInt64?

    public init(exchange: String, routingKey: String, body: [UInt8], headers: AMQPTable = [:],
                contentType: String? = "application/json", messageID: String? = nil,
                correlationID: String? = nil, persistent: Bool = true, mandatory: Bool = true,
                timestamp: UInt64? = nil) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
        self.contentType = contentType
        self.messageID = messageID
        self.correlationID = correlationID
        self.persistent = persistent
        self.mandatory = mandatory
        self.timestamp = timestamp
    }
}
