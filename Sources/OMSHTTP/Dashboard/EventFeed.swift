import AMQPClient
import Foundation
import Logging
import OMSContract
import OMSDomain
import ServiceLifecycle
import WorkerRuntime

/// Status changes for the dashboard's Server-Sent Events. The server binds a
/// queue of its own to every `order.*` event on `oms.events`: exclusive and
/// auto-deleted, so it lives exactly as long as this server's connection,
/// and each copy of the server gets every change. Each change goes to every
/// open `/events` stream.
actor EventFeed: Service {
    /// One change as the browser gets it (the `data:` of an `order` event).
    struct Change: Encodable, Sendable, Equatable {
        var id: String
        var status: String
        var from: String?
        var channel: String
        var version: Int
        var time: String
        var note: String?
    }

    let amqp: AMQPConnection
    let queue = "oms.serve.events.\(UUID().uuidString.prefix(8).lowercased())"
    private let logger: Logger
    private var subscribers: [UUID: AsyncStream<Change>.Continuation] = [:]

    init(amqp: AMQPConnection, logger: Logger) {
        self.amqp = amqp
        self.logger = logger
    }

    /// Consumes until graceful shutdown. A consumer that fails (the broker
    /// refused the queue) ends the service, and with it the server: a
    /// dashboard without live changes should not look healthy.
    nonisolated func run() async throws {
        do {
            try await amqp.declare(AMQPTopology(
                queues: [AMQPTopology.Queue(queue, durable: false, exclusive: true, autoDelete: true)],
                bindings: [AMQPTopology.Binding(queue: queue, exchange: Topology.events, routingKey: "order.*")]))
            let consumer = try await amqp.consume(queue: queue, prefetch: 500)
            logger.debug("event feed bound", metadata: ["queue": "\(queue)"])
            for try await delivery in consumer.cancelOnGracefulShutdown() {
                if let change = Self.change(from: delivery.body) { await publish(change) }
                _ = await amqp.finish(delivery)
            }
        } catch {
            logger.error("event feed failed", metadata: ["queue": "\(queue)", "error": "\(error)"])
            await finishAll()
            throw error
        }
        await finishAll()
    }

    /// A stream of every change from now on; it ends when the server shuts down.
    func subscribe() -> AsyncStream<Change> {
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    var subscriberCount: Int { subscribers.count }

    private func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }

    private func publish(_ change: Change) {
        for continuation in subscribers.values { continuation.yield(change) }
    }

    private func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    static func change(from body: [UInt8]) -> Change? {
        guard let event = try? OrderEvent.decode(body) else { return nil }
        let data = event.data
        let time = ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["time"] as? String
        return Change(id: data.orderID, status: data.status.rawValue, from: data.previousStatus?.rawValue,
                      channel: data.channel, version: data.version, time: time ?? "", note: data.reason)
    }
}
