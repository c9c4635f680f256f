import Foundation
import Logging
import OMSContract
import RedisClient
import ServiceLifecycle
import Synchronization

/// What a stage does with one message. It never throws: it says how the
/// message ended, and the runtime publishes, retries or dead-letters, then acks.
public protocol StageHandler: Sendable {
    func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome
    /// What the stage runs beside its worker (pick's picklist writer), in the
    /// worker's service group: started with it, and on SIGTERM stopped after
    /// the worker has finished its messages.
    var services: [any Service] { get }
}

extension StageHandler {
    public var services: [any Service] { [] }
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
    /// Shared with the runtime, which names the order in its own lines
    /// ("dead-lettered", "retrying later", "publish failed").
    let subject = MessageSubject()

    public init(stage: Stage, logger: Logger, trace: TraceContext, now: Date = Date(),
                publish: @escaping @Sendable ([OutgoingMessage]) async throws -> Void) {
        self.stage = stage
        self.logger = logger
        self.trace = trace
        self.now = now
        self.publish = publish
    }

    /// The order this message is about, once the handler knows it: on the
    /// handler's log lines from here on, and on the runtime's.
    public mutating func identify(orderID: String) {
        logger[metadataKey: LogKey.orderID] = "\(orderID)"
        subject.orderID.withLock { $0 = orderID }
    }
}

/// What a handler found out about its message that the runtime logs with it.
final class MessageSubject: Sendable {
    let orderID = Mutex<String?>(nil)
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

extension Outcome {
    /// A failure the handler did not decide on. A step a store refused (a
    /// Redis error reply such as a script's "ERR commit: the hold … does not
    /// match") will be refused again: dead-lettered with the reason, for a
    /// person. Anything else (a server down, busy or out of memory, a
    /// connection lost) may pass later: retried.
    public static func failed(_ error: any Error) -> Outcome {
        if let redis = error as? RedisError, redis.isRefusal {
            return .deadLetter(reason: "the store refused this step: \(redis)")
        }
        return .retry(reason: "\(error)")
    }
}
