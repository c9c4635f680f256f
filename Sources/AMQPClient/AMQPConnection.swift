import ConnectionThread
import Logging

/// One AMQP 0-9-1 connection over rabbitmq-c.
///
/// Concurrency model: rabbitmq-c connections are not thread-safe and their
/// calls block, so the connection is an actor whose executor is a dedicated
/// thread (`ThreadExecutor`). Every C call happens on that thread. No job
/// blocks waiting for the broker: the executor watches the socket between jobs
/// and calls `serviceSocket` when it is readable (or quiet for a while, to keep
/// heartbeats), which reads deliveries, confirms and returns without waiting.
/// Publishes and acks from any number of tasks therefore go out as soon as they
/// are called. A worker keeps many messages in flight on one connection:
/// handlers run on the cooperative pool, and only socket work is serialised here.
///
/// Publishes use publisher confirms: `publish` returns once the broker has the
/// message, and fails (never silently) when it was returned as unroutable,
/// refused, or the connection dropped before the confirm.
///
/// When the connection is lost (broker restart, socket closed, missed
/// heartbeats), every unconfirmed publish fails with `.connectionLost`, the
/// connection reconnects with capped exponential backoff, declares the remembered
/// topology again and resumes every consumer. Deliveries from before the loss
/// can no longer be acked (the broker redelivers them); `ack` says so by
/// returning false instead of acking a different message by its stale tag.
public actor AMQPConnection {
    private let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public let configuration: AMQPConfiguration
    private let logger: Logger
    private var handle: ConnectionHandle?
    private var lifecycle: ConnectionLifecycle
    private var confirms = ConfirmTracker<ConfirmPromise>()
    /// Deliveries of the main channel that consumers finished, acked once per turn of the thread.
    private var acks = AckBatch()
    private var topology = AMQPTopology()
    private var consumers: [Int: ConsumerRegistration] = [:]
    private var consumerIDsByTag: [String: Int] = [:]
    private var nextConsumerID = 1
    private var openWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    private var nextWaiterID = 1
    private var reconnecting: Task<Void, Never>?
    private var lastInbound = ContinuousClock.now

    private struct ConsumerRegistration {
        var queue: String
        var prefetch: UInt16
        var continuation: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation
        var brokerTag: String?
    }

    /// Opens a connection, or throws an error that says what is wrong (no
    /// broker at the address, credentials refused, unknown vhost).
    public static func connect(_ configuration: AMQPConfiguration,
                               logger: Logger = Logger(label: "oms.amqp")) async throws -> AMQPConnection {
        let connection = AMQPConnection(configuration: configuration, logger: logger)
        try await connection.open()
        return connection
    }

    private init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.lifecycle = ConnectionLifecycle(policy: configuration.reconnect)
        self.executor = ThreadExecutor()
    }

    deinit {
        executor.shutdown()
    }

    private func open() throws {
        let handle = try ConnectionHandle(configuration: configuration)
        adopt(handle)
        logger.debug("connected", metadata: ["url": "\(configuration.url)"])
    }

    private func adopt(_ handle: ConnectionHandle) {
        self.handle = handle
        lastInbound = .now
        executor.watch(ThreadExecutor.SocketWatch(
            fd: handle.socketFD, timeoutMilliseconds: pollMilliseconds,
            handler: { [weak self] readiness in self?.assumeIsolated { $0.serviceSocket(readiness) } },
            flush: { [weak self] in self?.assumeIsolated { $0.flushAcks() } },
            hasBufferedInput: { [weak self] in self?.assumeIsolated { $0.handle?.hasBufferedInput ?? false } ?? false }))
    }

    /// True while connected; false while reconnecting or after `close()`.
    public var isConnected: Bool { lifecycle.isOpen }

    /// How many times the connection was lost and opened again.
    public private(set) var reconnects = 0

    // MARK: - Publishing

    /// Publishes one message and returns when the broker has confirmed it.
    /// Throws `AMQPError` with kind `.unroutable`, `.nacked`, `.connectionLost`,
    /// `.notConnected` or `.closed`.
    public nonisolated func publish(_ message: AMQPMessage) async throws {
        try await send(message).wait()
    }

    /// Publishes every message, then waits for all their confirms: one result
    /// per message, in order, so the caller knows exactly which the broker took.
    /// The waiting happens off the connection's thread.
    public nonisolated func publish(batch messages: [AMQPMessage]) async -> [Result<Void, AMQPError>] {
        var results: [Result<Void, AMQPError>] = []
        results.reserveCapacity(messages.count)
        for promise in await send(batch: messages) {
            do {
                try await promise.wait()
                results.append(.success(()))
            } catch {
                results.append(.failure(error as! AMQPError))
            }
        }
        return results
    }

    private func send(batch messages: [AMQPMessage]) async -> [ConfirmPromise] {
        var promises: [ConfirmPromise] = []
        promises.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            promises.append(await send(message))
            // Read confirms now and then: a broker whose writes back to us pile
            // up unread eventually stops reading ours.
            if index % 128 == 127 { serviceSocket(.quiet) }
        }
        return promises
    }

    private func send(_ message: AMQPMessage) async -> ConfirmPromise {
        let handle: ConnectionHandle
        do {
            handle = try await connectedHandle()
        } catch {
            return ConfirmPromise(settled: .failure(error as! AMQPError))
        }
        let promise = ConfirmPromise()
        _ = confirms.register(promise, exchange: message.exchange, routingKey: message.routingKey,
                              messageID: message.messageID, mandatory: message.mandatory)
        do {
            try handle.publish(message)
        } catch {
            connectionLost(error)
        }
        return promise
    }

    // MARK: - Consuming

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
    private func settle(_ delivery: AMQPDelivery, multiple: Bool,
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
    private func flushAcks() {
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

    // MARK: - Topology and queues

    /// Declares exchanges, queues and bindings; they are declared again after
    /// every reconnect.
    public func declare(_ topology: AMQPTopology) async throws {
        let handle = try await connectedHandle()
        try onOtherChannel(handle) { try Self.declare(topology, on: $0) }
        self.topology = self.topology.merging(topology)
    }

    /// Removes bindings (left by an older layout); they are no longer declared after a reconnect.
    public func remove(_ bindings: [AMQPTopology.Binding]) async throws {
        let handle = try await connectedHandle()
        try onOtherChannel(handle) { handle in
            for binding in bindings { try handle.remove(binding) }
        }
        topology.bindings.removeAll { bindings.contains($0) }
    }

    /// Ready messages and consumers of a queue; `.channelClosed` 404 when it does not exist.
    public func inspect(queue: String) async throws -> QueueState {
        let handle = try await connectedHandle()
        return try onOtherChannel(handle) { try $0.inspect(queue: queue) }
    }

    /// Removes the queue's ready messages; returns how many.
    @discardableResult
    public func purge(queue: String) async throws -> Int {
        let handle = try await connectedHandle()
        return try onOtherChannel(handle) { try $0.purge(queue: queue) }
    }

    public func delete(queue: String) async throws {
        let handle = try await connectedHandle()
        try onOtherChannel(handle) { try $0.delete(queue: queue) }
        topology.queues.removeAll { $0.name == queue }
        topology.bindings.removeAll { $0.queue == queue }
    }

    public func delete(exchange: String) async throws {
        let handle = try await connectedHandle()
        try onOtherChannel(handle) { try $0.delete(exchange: exchange) }
        topology.exchanges.removeAll { $0.name == exchange }
        topology.bindings.removeAll { $0.exchange == exchange }
    }

    private static func declare(_ topology: AMQPTopology, on handle: ConnectionHandle) throws(AMQPError) {
        for exchange in topology.exchanges { try handle.declare(exchange) }
        for queue in topology.queues { try handle.declare(queue) }
        for binding in topology.bindings { try handle.declare(binding) }
    }

    // MARK: - Closing

    /// Closes the connection. Unconfirmed publishes fail with `.closed`,
    /// consumers end, and unacked deliveries go back to their queues.
    public func close() async {
        guard !lifecycle.isClosed else { return }
        flushAcks()
        lifecycle.closed()
        let closedError = AMQPError(.closed, "the connection was closed", operation: "close")
        for promise in confirms.failAll() { promise.settle(.failure(closedError)) }
        for registration in consumers.values { registration.continuation.finish() }
        consumers.removeAll()
        resumeOpenWaiters(throwing: closedError)
        executor.watch(nil)
        handle?.close()
        handle = nil
        reconnecting?.cancel()
        await reconnecting?.value
    }

    // MARK: - Reading the socket

    /// Reads every complete frame already available, without waiting. Runs on
    /// the connection thread between jobs, when the socket is readable or has
    /// been quiet for `pollMilliseconds`.
    private func serviceSocket(_ readiness: ThreadExecutor.Readiness) {
        guard let handle else { return }
        if readiness == .readable || handle.hasBufferedInput { lastInbound = .now }
        do {
            for _ in 0..<512 {
                guard let frame = try handle.nextFrame() else { break }
                dispatch(frame)
            }
            if !handle.hasBufferedInput { handle.releaseBuffers() }
            try checkHeartbeat()
        } catch {
            connectionLost(error)
        }
    }

    /// Short enough to send our heartbeats on time (rabbitmq-c sends one when
    /// due whenever we read) and to notice missed ones.
    private var pollMilliseconds: Int32 {
        let heartbeat = configuration.heartbeat
        return heartbeat == .zero ? 1000 : Int32(min(1000, max(50, heartbeat.milliseconds / 4)))
    }

    /// The broker sends a heartbeat at least every interval when idle: two
    /// intervals of silence mean the link is dead even if TCP has not noticed.
    private func checkHeartbeat() throws(AMQPError) {
        let heartbeat = configuration.heartbeat
        guard heartbeat > .zero, ContinuousClock.now - lastInbound > heartbeat * 2 else { return }
        throw AMQPError(.connectionLost, "no heartbeat from the broker for \(heartbeat * 2)",
                        operation: "connection to \(configuration.url.host):\(configuration.url.port)")
    }

    private func dispatch(_ frame: InboundFrame) {
        switch frame {
        case .deliver(let info, let content):
            deliver(info, content)
        case .confirm(let deliveryTag, let multiple, let nack):
            for (promise, result) in confirms.settle(deliveryTag: deliveryTag, multiple: multiple, nack: nack) {
                promise.settle(result)
            }
        case .returned(let exchange, let routingKey, let messageID, let error):
            confirms.markReturned(exchange: exchange, routingKey: routingKey, messageID: messageID, error: error)
        case .consumerCancelled(let tag):
            guard let id = consumerIDsByTag.removeValue(forKey: tag),
                  let registration = consumers.removeValue(forKey: id) else { return }
            registration.continuation.finish(throwing: AMQPError(
                .channelClosed, "the broker cancelled the consumer (queue deleted?)",
                operation: "consume from queue \(registration.queue)"))
        case .other:
            break
        }
    }

    private func deliver(_ info: InboundFrame.DeliveryInfo, _ content: MessageContent) {
        guard let id = consumerIDsByTag[info.consumerTag], let registration = consumers[id] else {
            // Arrived after its consumer was cancelled: give it back at once.
            try? handle?.nack(info.deliveryTag, multiple: false, requeue: true, channel: info.channel)
            return
        }
        if info.channel == ConnectionHandle.mainChannel { acks.delivered(info.deliveryTag) }
        registration.continuation.yield(delivery(info, content, queue: registration.queue))
    }

    private func delivery(_ info: InboundFrame.DeliveryInfo, _ content: MessageContent,
                          queue: String) -> AMQPDelivery {
        AMQPDelivery(deliveryTag: info.deliveryTag, redelivered: info.redelivered, exchange: info.exchange,
                     routingKey: info.routingKey, body: content.body, headers: content.headers,
                     contentType: content.contentType, messageID: content.messageID,
                     correlationID: content.correlationID, timestamp: content.timestamp, queue: queue,
                     channel: info.channel, connectionGeneration: lifecycle.generation)
    }

    // MARK: - Losing and regaining the connection

    private func connectionLost(_ error: AMQPError) {
        for action in lifecycle.lost(error) {
            guard case .abandon(let cause) = action else { continue }
            logger.warning("connection lost", metadata: ["error": "\(cause)"])
            executor.watch(nil)
            handle?.abandon()
            handle = nil
            let lost = AMQPError(.connectionLost, "connection lost before the broker confirmed: \(cause.text)",
                                 code: cause.code, operation: cause.operation)
            for promise in confirms.failAll() { promise.settle(.failure(lost)) }
            acks.reset()
            consumerIDsByTag.removeAll()
            for id in consumers.keys { consumers[id]?.brokerTag = nil }
            reconnecting = Task { await self.reconnect() }
        }
    }

    private func reconnect() async {
        var delay = configuration.reconnect.delay(forAttempt: 0)
        while !lifecycle.isClosed {
            try? await Task.sleep(for: delay)
            guard !lifecycle.isClosed else { return }
            do {
                let handle = try ConnectionHandle(configuration: configuration)
                try resume(on: handle)
                adopt(handle)
                reconnects += 1
                if lifecycle.reconnected() == .resumeWaiters { resumeOpenWaiters(throwing: nil) }
                logger.info("reconnected", metadata: ["url": "\(configuration.url)"])
                return
            } catch {
                logger.debug("reconnect failed", metadata: ["error": "\(error)"])
                if case .reconnect(let next) = lifecycle.reconnectFailed() { delay = next }
            }
        }
    }

    private func resume(on handle: ConnectionHandle) throws(AMQPError) {
        try Self.declare(topology, on: handle)
        for (id, registration) in consumers {
            let tag = try handle.consume(queue: registration.queue, prefetch: registration.prefetch)
            consumers[id]?.brokerTag = tag
            consumerIDsByTag[tag] = id
        }
    }

    /// The open handle, waiting up to `reconnectWait` while reconnecting.
    private func connectedHandle() async throws -> ConnectionHandle {
        while true {
            if let handle, lifecycle.isOpen { return handle }
            if lifecycle.isClosed {
                throw AMQPError(.closed, "the connection was closed", operation: "use connection")
            }
            try await waitForReconnect()
        }
    }

    private func waitForReconnect() async throws {
        let id = nextWaiterID
        nextWaiterID += 1
        let wait = configuration.reconnectWait
        let timer = Task {
            try await Task.sleep(for: wait)
            self.expireWaiter(id)
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { openWaiters[id] = $0 }
    }

    private func expireWaiter(_ id: Int) {
        openWaiters.removeValue(forKey: id)?.resume(throwing: AMQPError(
            .notConnected, "no connection to the broker for \(configuration.reconnectWait)",
            operation: "connect to \(configuration.url)"))
    }

    private func resumeOpenWaiters(throwing error: AMQPError?) {
        let waiters = openWaiters.values
        openWaiters.removeAll()
        for waiter in waiters {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }

    // MARK: - Error routing

    /// Publish, consume and ack share the main channel: if the broker closes it
    /// or the socket fails, the connection is rebuilt.
    private func onMainChannel<T>(_ handle: ConnectionHandle,
                                  _ operation: (ConnectionHandle) throws -> T) throws -> T {
        do {
            return try operation(handle)
        } catch let error as AMQPError {
            if [.connectionLost, .channelClosed, .timeout].contains(error.kind) { connectionLost(error) }
            throw error
        }
    }

    /// Declarations and gets run on channels of their own, which the handle
    /// reopens when the broker closes them; only a socket failure matters here.
    private func onOtherChannel<T>(_ handle: ConnectionHandle,
                                   _ operation: (ConnectionHandle) throws -> T) throws -> T {
        do {
            return try operation(handle)
        } catch let error as AMQPError {
            if [.connectionLost, .timeout].contains(error.kind) { connectionLost(error) }
            throw error
        }
    }
}
