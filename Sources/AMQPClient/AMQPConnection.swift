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
///
/// With several broker nodes (a cluster), each reconnect attempt goes to the
/// next node round the list, so the loss of one node is the same event as a
/// broker restart: unconfirmed publishes fail (the caller publishes them
/// again), consumers resume on the node reached, stale deliveries are not acked.
public actor AMQPConnection {
    let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public let configuration: AMQPConfiguration
    let logger: Logger
    var handle: ConnectionHandle?
    var lifecycle: ConnectionLifecycle
    var nodes: BrokerNodes
    var confirms = ConfirmTracker<ConfirmPromise>()
    /// Deliveries of the main channel that consumers finished, acked once per turn of the thread.
    var acks = AckBatch()
    var topology = AMQPTopology()
    var consumers: [Int: ConsumerRegistration] = [:]
    var consumerIDsByTag: [String: Int] = [:]
    var nextConsumerID = 1
    var openWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    var nextWaiterID = 1
    var reconnecting: Task<Void, Never>?
    var lastInbound = ContinuousClock.now

    struct ConsumerRegistration {
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

    init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.lifecycle = ConnectionLifecycle(policy: configuration.reconnect)
        self.nodes = BrokerNodes(configuration.urls)
        self.executor = ThreadExecutor()
    }

    deinit {
        executor.shutdown()
    }

    /// On the first node that answers; credentials or a vhost refused stop at once.
    func open() throws(AMQPError) {
        for attempt in nodes.urls.indices {
            do {
                adopt(try ConnectionHandle(configuration: configuration, url: nodes.url))
                logger.debug("connected", metadata: ["url": "\(nodes.url)"])
                return
            } catch where error.kind == .unreachable && attempt < nodes.urls.count - 1 {
                logger.debug("node unreachable", metadata: ["url": "\(nodes.url)", "error": "\(error)"])
                nodes.advance()
            }
        }
    }

    func adopt(_ handle: ConnectionHandle) {
        self.handle = handle
        lastInbound = .now
        executor.watch(ThreadExecutor.SocketWatch(
            fd: handle.socketFD, timeoutMilliseconds: pollMilliseconds,
            handler: { [weak self] readiness in self?.assumeIsolated { $0.serviceSocket(readiness) } },
            flush: { [weak self] in self?.assumeIsolated { $0.flushAcks() } },
            hasBufferedInput: { [weak self] in self?.assumeIsolated { $0.handle?.hasBufferedInput ?? false } ?? false }))
    }

    /// The broker node in use, or tried next while reconnecting.
    public var node: AMQPURL { nodes.url }

    /// True while connected; false while reconnecting or after `close()`.
    public var isConnected: Bool { lifecycle.isOpen }

    /// How many times the connection was lost and opened again.
    public internal(set) var reconnects = 0

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

    // MARK: - Error routing

    /// Publish, consume and ack share the main channel: if the broker closes it
    /// or the socket fails, the connection is rebuilt.
    func onMainChannel<T>(_ handle: ConnectionHandle,
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
    func onOtherChannel<T>(_ handle: ConnectionHandle,
                                   _ operation: (ConnectionHandle) throws -> T) throws -> T {
        do {
            return try operation(handle)
        } catch let error as AMQPError {
            if [.connectionLost, .timeout].contains(error.kind) { connectionLost(error) }
            throw error
        }
    }
}
