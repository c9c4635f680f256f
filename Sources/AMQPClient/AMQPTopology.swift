/// Exchanges, queues and bindings, declared idempotently. A connection
/// remembers what it declared and declares it again after a reconnect (a
/// restarted broker may have lost non-durable parts).
public struct AMQPTopology: Sendable, Equatable {
    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    public struct Exchange: Sendable, Equatable {
        public enum Kind: String, Sendable { case direct, topic, fanout, headers }
        public var name: String
        public var kind: Kind
        public var durable: Bool
        public var arguments: AMQPTable

        public init(_ name: String, kind: Kind, durable: Bool = true, arguments: AMQPTable = [:]) {
            self.name = name
            self.kind = kind
            self.durable = durable
            self.arguments = arguments
        }
    }

    public struct Queue: Sendable, Equatable {
        public var name: String
        public var durable: Bool
        public var exclusive: Bool
        public var autoDelete: Bool
        public var arguments: AMQPTable

        public init(_ name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
                    arguments: AMQPTable = [:]) {
            self.name = name
            self.durable = durable
            self.exclusive = exclusive
            self.autoDelete = autoDelete
            self.arguments = arguments
        }
    }

    public struct Binding: Sendable, Equatable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        /// For headers exchanges: `x-match` and the headers to match.
        public var arguments: AMQPTable

        public init(queue: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
            self.arguments = arguments
        }
    }

    public func merging(_ other: AMQPTopology) -> AMQPTopology {
        AMQPTopology(exchanges: exchanges + other.exchanges.filter { !exchanges.contains($0) },
                     queues: queues + other.queues.filter { !queues.contains($0) },
                     bindings: bindings + other.bindings.filter { !bindings.contains($0) })
    }
}

/// The queue arguments RabbitMQ understands, by name.
public enum QueueArgument {
    public static let quorum: AMQPTable = ["x-queue-type": "quorum"]

    public static func deadLetter(exchange: String, routingKey: String? = nil) -> AMQPTable {
        var table: AMQPTable = ["x-dead-letter-exchange": .string(exchange)]
        if let routingKey { table["x-dead-letter-routing-key"] = .string(routingKey) }
        return table
    }

    /// Quorum queues dead-letter (or drop) a message redelivered more than this.
    public static func deliveryLimit(_ limit: Int) -> AMQPTable {
        ["x-delivery-limit": .int(Int64(limit))]
    }

    public static func messageTTL(milliseconds: Int) -> AMQPTable {
        ["x-message-ttl": .int(Int64(milliseconds))]
    }
}

extension AMQPTable {
    /// `QueueArgument.quorum + QueueArgument.deliveryLimit(5)`.
    public static func + (lhs: AMQPTable, rhs: AMQPTable) -> AMQPTable {
        lhs.merging(rhs) { _, new in new }
    }
}
