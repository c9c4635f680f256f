import Foundation
import Logging

/// What a stage does with one message. It never throws: it says how the
/// message ended, and the runtime publishes, retries or dead-letters, then acks.
public protocol StageHandler: Sendable {
    func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome
}

/// A consumed message as a handler sees it.
public struct IncomingMessage: Sendable {
    public var routingKey: String
    public var body: [UInt8]
    public var messageID: String?
    /// 1 for the first delivery, counting retries through the delay queues.
    public var attempt: Int
    /// Delivered again by the broker (a worker died or the link broke before the ack).
    public var redelivered: Bool

    public init(routingKey: String, body: [UInt8], messageID: String? = nil, attempt: Int = 1,
                redelivered: Bool = false) {
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.attempt = attempt
        self.redelivered = redelivered
    }
}

/// What a handler gets besides the message.
public struct HandlerContext: Sendable {
    public var stage: Stage
    /// With `stage`, `routing_key`, `message_id` and `trace_id` already set.
    public var logger: Logger
    /// The trace this message belongs to; what the handler publishes continues it.
    public var trace: TraceContext
    public var now: Date
    /// Publishes now, with confirms, throwing if the broker did not take every
    /// message. For a handler that must know its messages are out before its
    /// next step; most return them in `Outcome.done` instead.
    public var publish: @Sendable ([OutgoingMessage]) async throws -> Void

    public init(stage: Stage, logger: Logger, trace: TraceContext, now: Date = Date(),
                publish: @escaping @Sendable ([OutgoingMessage]) async throws -> Void) {
        self.stage = stage
        self.logger = logger
        self.trace = trace
        self.now = now
        self.publish = publish
    }
}

/// A message a handler wants published once it has done its work.
public struct OutgoingMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var messageID: String?
    /// Must reach a queue, or the publish fails (and is retried or dead-lettered).
    /// By default everything but status events, which anyone may bind or not;
    /// an event that is also a hand-off is mandatory.
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, body: [UInt8], messageID: String? = nil,
                mandatory: Bool? = nil) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.mandatory = mandatory ?? (exchange != Topology.events)
    }
}

/// How a message ended, in the words of River's and swift-jobs' workers:
/// done (publish what follows), retry later (transient), or never (dead letter).
public enum Outcome: Sendable, Equatable {
    case done([OutgoingMessage])
    /// A transient failure (a server or gateway away): try again after the
    /// policy's delay, then dead-letter with this reason once retries are used up.
    case retry(reason: String)
    /// Can never succeed (bad input, a conflict, a refused transition):
    /// dead-letter at once, with a sentence a person can act on; `publish` is
    /// sent too (the `order.rejected` event of an invalid order).
    case deadLetter(reason: String, publish: [OutgoingMessage] = [])
}
