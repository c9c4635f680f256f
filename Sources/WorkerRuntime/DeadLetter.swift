import AMQPClient
import OMSContract

/// A message in `oms.dead` and what its headers say; `oms dlq` and the
/// dashboard read, show and replay them through this.
///
/// Reading without removing: `take` gets messages with basic.get (no
/// auto-ack), holding them all unacked so that the same message is not got
/// twice; the caller then settles each one: `requeue` puts it back, a replay
/// acks it after the confirm of its republished copy. A held message goes
/// back to the queue also when the connection dies, because the broker
/// requeues the unacked messages of a closed connection.
public struct DeadLetter: Sendable {
    /// Its place in the queue, from 1, for `oms dlq show N`.
    public var number: Int
    public var delivery: AMQPDelivery

    public var stage: String { delivery.headers[Headers.stage]?.string ?? "-" }
    public var error: String { delivery.headers[Headers.error]?.string ?? "-" }
    public var attempts: Int64? { delivery.headers[Headers.attempts]?.int }
    public var messageID: String { delivery.messageID ?? "-" }
    public var originalExchange: String? { delivery.headers[Headers.originalExchange]?.string }
    public var originalRoutingKey: String? { delivery.headers[Headers.originalRoutingKey]?.string }

    /// The message that replays it: the body back to its original exchange and
    /// routing key, without the `x-` headers; nil when it does not say where
    /// it came from.
    public var replay: AMQPMessage? {
        guard let exchange = originalExchange, let routingKey = originalRoutingKey else { return nil }
        var headers = delivery.headers.filter { !$0.key.hasPrefix("x-") }
        headers[Headers.retryStage] = nil
        return AMQPMessage(exchange: exchange, routingKey: routingKey, body: delivery.body, headers: headers,
                           contentType: delivery.contentType ?? "application/json", messageID: delivery.messageID,
                           correlationID: delivery.correlationID, timestamp: delivery.timestamp)
    }

    /// A header's value as text.
    public static func text(_ value: AMQPFieldValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        default: "\(value)"
        }
    }

    /// Gets up to `limit` dead letters without acking them.
    public static func take(_ amqp: AMQPConnection, limit: Int) async throws -> [DeadLetter] {
        var letters: [DeadLetter] = []
        while letters.count < limit, let delivery = try await amqp.get(queue: Topology.dead) {
            letters.append(DeadLetter(number: letters.count + 1, delivery: delivery))
        }
        return letters
    }

    public static func requeue(_ amqp: AMQPConnection, _ letters: [DeadLetter]) async throws {
        for letter in letters { try await amqp.reject(letter.delivery, requeue: true) }
    }

    /// Every dead letter, left in the queue.
    public static func list(_ amqp: AMQPConnection, limit: Int = .max) async throws -> [DeadLetter] {
        let letters = try await take(amqp, limit: limit)
        try await requeue(amqp, letters)
        return letters
    }
}
