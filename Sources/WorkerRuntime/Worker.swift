import AMQPClient
import Foundation
import Logging
import Metrics
import OMSContract
import ServiceLifecycle
import Synchronization

/// consume → handle → publish → confirm → ack, for one stage, with up to
/// `prefetch` messages in flight at once.
///
/// Each message's outcome is turned into what to publish (the handler's
/// messages, a delayed retry, or a dead letter), published with confirms, and
/// only then acked (with the other deliveries finished in the same turn, in
/// one multiple-ack where their tags allow), so a crash at any point leaves
/// the message to be delivered again: at-least-once, and handlers make every
/// effect idempotent. When a
/// publish fails the message is nacked with requeue: the broker delivers it
/// again (a quorum queue dead-letters it after its delivery limit). A retry
/// keeps the exchange and routing key the message was first published with
/// (`Received`), so its handler sees it as it was.
///
/// Graceful shutdown (SIGTERM, SIGINT): stop consuming, let the messages in
/// flight finish, then return; what was received but not finished is not
/// acked and goes back to the queue when the connection closes.
public struct Worker: Service {
    public let stage: Stage
    public let queues: [String]
    public let handler: any StageHandler
    public let connection: AMQPConnection
    public let prefetch: UInt16
    public let retryPolicy: RetryPolicy
    public let logger: Logger

    public init(stage: Stage, queues: [String]? = nil, handler: any StageHandler, connection: AMQPConnection,
                prefetch: UInt16, retryPolicy: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.stage = stage
        self.queues = queues ?? [stage.queue]
        self.handler = handler
        self.connection = connection
        self.prefetch = prefetch
        self.retryPolicy = retryPolicy
        self.logger = logger
    }

    public func run() async throws {
        var started: [AMQPConsumer] = []
        for queue in queues {
            started.append(try await connection.consume(queue: queue, prefetch: prefetch))
        }
        let consumers = started
        logger.info("consuming", metadata: ["queues": "\(queues.joined(separator: ","))", "prefetch": "\(prefetch)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                for consumer in consumers {
                    group.addTask { try await consume(consumer) }
                }
            }
        } onGracefulShutdown: {
            Task { for consumer in consumers { try? await consumer.cancel() } }
        }
        logger.info("stopped consuming; in-flight messages finished")
    }

    private func consume(_ consumer: AMQPConsumer) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for try await delivery in consumer {
                group.addTask { await process(delivery) }
            }
        }
    }

    private func process(_ delivery: AMQPDelivery) async {
        let trace = TraceContext(traceparent: delivery.headers[Headers.traceparent]?.string) ?? .root()
        let received = Received(delivery)
        var logger = self.logger
        logger[metadataKey: LogKey.routingKey] = "\(received.routingKey)"
        logger[metadataKey: LogKey.traceID] = "\(trace.traceID)"
        if let id = delivery.messageID { logger[metadataKey: LogKey.messageID] = "\(id)" }
        if received.attempt > 1 { logger[metadataKey: LogKey.attempt] = "\(received.attempt)" }
        let message = IncomingMessage(routingKey: received.routingKey, body: delivery.body,
                                      messageID: delivery.messageID, attempt: received.attempt,
                                      redelivered: delivery.redelivered)
        let hop = trace.child()
        let context = HandlerContext(stage: stage, logger: logger, trace: hop) { messages in
            let results = await connection.publish(batch: messages.map { outgoing($0, trace: hop, at: Date()) })
            if let error = results.firstFailure { throw error }
        }
        let started = ContinuousClock.now
        let outcome = await handler.handle(message, context: context)
        if let orderID = context.subject.orderID.withLock({ $0 }) {
            logger[metadataKey: LogKey.orderID] = "\(orderID)"
        }
        Self.crashBeforeConfirms()
        Timer(label: MetricName.handleDuration, dimensions: [("stage", stage.rawValue)])
            .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        let publishes = messages(for: outcome, received: received, context: context)
        await finish(received, outcome: outcome, publishing: publishes, logger: logger)
    }

    /// Publishes what the outcome calls for, then acks; on a failed publish,
    /// leaves the delivery unacked so the broker delivers it again.
    private func finish(_ received: Received, outcome: Outcome, publishing publishes: [AMQPMessage],
                        logger: Logger) async {
        let delivery = received.delivery
        let results = await connection.publish(batch: Self.publishTwice ? publishes + publishes : publishes)
        if let error = results.firstFailure {
            if error.kind == .unroutable, !outcome.isDeadLetter {
                // What the handler produced has nowhere to go: retrying cannot help.
                let reason = "cannot publish what this message produced: \(error)"
                await finish(received, outcome: .deadLetter(reason: reason),
                             publishing: [deadLetter(received, reason: reason)], logger: logger)
                return
            }
            logger.warning("publish failed; message left for redelivery", metadata: [LogKey.error: "\(error)"])
            count(outcome: "requeued")
            _ = try? await connection.nack(delivery, requeue: true)
            return
        }
        // Acked with the others finished in this turn of the connection's thread.
        if !(await connection.finish(delivery)) {
            logger.info("connection lost before the ack; the message will be delivered again")
        }
        count(outcome: outcome.label)
        switch outcome {
        case .done: logger.debug("done")
        case .retry(let reason): logger.info("retrying later", metadata: [LogKey.error: "\(reason)"])
        case .deadLetter(let reason, _): logger.warning("dead-lettered", metadata: [LogKey.error: "\(reason)"])
        }
    }

    private func count(outcome: String) {
        Counter(label: MetricName.messages, dimensions: [("stage", stage.rawValue), ("outcome", outcome)]).increment()
    }

    private func messages(for outcome: Outcome, received: Received, context: HandlerContext) -> [AMQPMessage] {
        let (delivery, attempt) = (received.delivery, received.attempt)
        switch outcome {
        case .done(let messages):
            return messages.map { outgoing($0, trace: context.trace, at: context.now) }
        case .retry(let reason):
            guard let delay = retryPolicy.delay(after: attempt) else {
                return [deadLetter(received, reason: "gave up after \(attempt) attempts: \(reason)")]
            }
            var headers = delivery.headers
            headers[Headers.originalExchange] = .string(received.exchange)
            headers[Headers.originalRoutingKey] = .string(received.routingKey)
            headers[Headers.stage] = .string(stage.rawValue)
            headers[Headers.retryStage] = .string(stage.rawValue)
            headers[Headers.attempts] = .int(Int64(attempt + 1))
            headers[Headers.error] = .string(reason)
            let queue = Topology.retryQueue(delay: delay)
            return [AMQPMessage(exchange: Topology.retry, routingKey: queue, body: delivery.body, headers: headers,
                                contentType: delivery.contentType, messageID: delivery.messageID)]
        case .deadLetter(let reason, let messages):
            return messages.map { outgoing($0, trace: context.trace, at: context.now) }
                + [deadLetter(received, reason: reason)]
        }
    }

    private func outgoing(_ message: OutgoingMessage, trace: TraceContext, at time: Date) -> AMQPMessage {
        AMQPMessage(exchange: message.exchange, routingKey: message.routingKey, body: message.body,
                    headers: [Headers.traceparent: .string(trace.traceparent)], messageID: message.messageID,
                    mandatory: message.mandatory, timestamp: UInt64(time.timeIntervalSince1970))
    }

    /// The original body byte for byte, with why and where it came from.
    private func deadLetter(_ received: Received, reason: String) -> AMQPMessage {
        let delivery = received.delivery
        var headers = delivery.headers
        headers[Headers.stage] = .string(stage.rawValue)
        headers[Headers.error] = .string(reason)
        headers[Headers.attempts] = .int(Int64(received.attempt))
        headers[Headers.originalExchange] = .string(received.exchange)
        headers[Headers.originalRoutingKey] = .string(received.routingKey)
        return AMQPMessage(exchange: Topology.dead, routingKey: received.routingKey, body: delivery.body,
                           headers: headers, contentType: delivery.contentType, messageID: delivery.messageID)
    }
}

/// A delivery with where it was first published and which attempt it is.
///
/// A retry comes back through `oms.retry.due` under its delay queue's name
/// (dead-lettering keeps the routing key it expired with), so the exchange
/// and routing key it was first published with travel in its headers.
struct Received {
    let delivery: AMQPDelivery
    let exchange: String
    let routingKey: String
    let attempt: Int

    init(_ delivery: AMQPDelivery) {
        self.delivery = delivery
        attempt = Int(delivery.headers[Headers.attempts]?.int ?? 1)
        let headers = delivery.headers
        if delivery.exchange == Topology.retryDue, let exchange = headers[Headers.originalExchange]?.string,
           let routingKey = headers[Headers.originalRoutingKey]?.string {
            (self.exchange, self.routingKey) = (exchange, routingKey)
        } else {
            (self.exchange, self.routingKey) = (delivery.exchange, delivery.routingKey)
        }
    }
}

extension Worker {
    /// Test-only (`OMS_FAILPOINT=batch.before-confirms:N`): SIGKILL once the
    /// Nth message's handler has done its Redis work, before what it produced
    /// is published and confirmed, while the messages in flight around it are
    /// at every other step (publishing, awaiting confirms, acks not yet sent).
    /// Inert unless set.
    static func crashBeforeConfirms() {
        guard let limit = crashAfterHandled,
              handledCount.wrappingAdd(1, ordering: .relaxed).newValue == limit else { return }
        kill(getpid(), SIGKILL)
    }

    private static let crashAfterHandled: Int? = {
        let prefix = "batch.before-confirms:"
        guard let failpoint = ProcessInfo.processInfo.environment["OMS_FAILPOINT"], failpoint.hasPrefix(prefix)
        else { return nil }
        return Int(failpoint.dropFirst(prefix.count))
    }()

    private static let handledCount = Atomic<Int>(0)

    /// Test-only (`OMS_FAILPOINT=publish.twice`): everything a worker publishes
    /// goes out twice, as at-least-once delivery may do at any hop, so tests can
    /// show that every stage changes nothing twice. Inert unless set.
    static let publishTwice = ProcessInfo.processInfo.environment["OMS_FAILPOINT"] == "publish.twice"
}

extension [Result<Void, AMQPError>] {
    var firstFailure: AMQPError? {
        for result in self {
            if case .failure(let error) = result { return error }
        }
        return nil
    }
}

extension Outcome {
    public var isDeadLetter: Bool {
        if case .deadLetter = self { return true }
        return false
    }

    var label: String {
        switch self {
        case .done: "done"
        case .retry: "retry"
        case .deadLetter: "dead_letter"
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
