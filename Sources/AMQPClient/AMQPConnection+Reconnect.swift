import ConnectionThread
import Logging

/// Losing the connection and opening it again.
extension AMQPConnection {
    func connectionLost(_ error: AMQPError) {
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

    func reconnect() async {
        var delay = configuration.reconnect.delay(forAttempt: 0)
        if nodes.urls.count > 1 { delay = max(delay, configuration.failoverDelay) }
        while !lifecycle.isClosed {
            try? await Task.sleep(for: delay)
            guard !lifecycle.isClosed else { return }
            nodes.advance()
            do {
                let handle = try ConnectionHandle(configuration: configuration, url: nodes.url)
                try resume(on: handle)
                adopt(handle)
                reconnects += 1
                if lifecycle.reconnected() == .resumeWaiters { resumeOpenWaiters(throwing: nil) }
                logger.info("reconnected", metadata: ["url": "\(nodes.url)"])
                return
            } catch {
                logger.debug("reconnect failed", metadata: ["error": "\(error)"])
                if case .reconnect(let next) = lifecycle.reconnectFailed() { delay = next }
            }
        }
    }

    func resume(on handle: ConnectionHandle) throws(AMQPError) {
        try Self.declare(topology, on: handle)
        for (id, registration) in consumers {
            let tag = try handle.consume(queue: registration.queue, prefetch: registration.prefetch)
            consumers[id]?.brokerTag = tag
            consumerIDsByTag[tag] = id
        }
    }

    /// The open handle, waiting up to `reconnectWait` while reconnecting.
    func connectedHandle() async throws -> ConnectionHandle {
        while true {
            if let handle, lifecycle.isOpen { return handle }
            if lifecycle.isClosed {
                throw AMQPError(.closed, "the connection was closed", operation: "use connection")
            }
            try await waitForReconnect()
        }
    }

    func waitForReconnect() async throws {
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

    func expireWaiter(_ id: Int) {
        openWaiters.removeValue(forKey: id)?.resume(throwing: AMQPError(
            .notConnected, "no connection to the broker for \(configuration.reconnectWait)",
            operation: "connect to \(nodes.url)"))
    }

    func resumeOpenWaiters(throwing error: AMQPError?) {
        let waiters = openWaiters.values
        openWaiters.removeAll()
        for waiter in waiters {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }
}
