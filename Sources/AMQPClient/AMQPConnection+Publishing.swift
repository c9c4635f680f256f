import ConnectionThread
import Logging

/// Publishing with confirms.
extension AMQPConnection {
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

    func send(batch messages: [AMQPMessage]) async -> [ConfirmPromise] {
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

    func send(_ message: AMQPMessage) async -> ConfirmPromise {
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
}
