import ConnectionThread
import Logging

/// Declarations, removals, queue state, purges and deletions.
extension AMQPConnection {
    /// Declares exchanges, queues and bindings; they are declared again after
    /// every reconnect.
    ///
    /// A declaration the connection is lost under is made again on the next
    /// connection, up to `declareAttempts` times: a loaded broker whose quorum
    /// queue cannot elect its leader in time closes the connection with 541
    /// `cluster_not_formed`, and declaring is idempotent.
    public func declare(_ topology: AMQPTopology) async throws {
        var attempt = 1
        while true {
            do {
                let handle = try await connectedHandle()
                try onOtherChannel(handle) { try Self.declare(topology, on: $0) }
                break
            } catch let error as AMQPError where [.connectionLost, .timeout].contains(error.kind)
                && attempt < Self.declareAttempts {
                logger.warning("declaring again on the next connection", metadata: ["error": "\(error)"])
                attempt += 1
            }
        }
        self.topology = self.topology.merging(topology)
    }

    static let declareAttempts = 3

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

    static func declare(_ topology: AMQPTopology, on handle: ConnectionHandle) throws(AMQPError) {
        for exchange in topology.exchanges { try handle.declare(exchange) }
        for queue in topology.queues { try handle.declare(queue) }
        for binding in topology.bindings { try handle.declare(binding) }
    }
}
