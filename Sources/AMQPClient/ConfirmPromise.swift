import Synchronization

/// The outcome of one publish: settled by the connection thread when the
/// broker confirms, returns or refuses the message, awaited by the publisher.
final class ConfirmPromise: Sendable {
    private enum State {
        case pending([CheckedContinuation<Void, any Error>])
        case settled(Result<Void, AMQPError>)
    }

    private let state = Mutex(State.pending([]))

    init() {}

    init(settled result: Result<Void, AMQPError>) {
        state.withLock { $0 = .settled(result) }
    }

    func settle(_ result: Result<Void, AMQPError>) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            guard case .pending(let waiters) = state else { return [] }
            state = .settled(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result.mapError { $0 }) }
    }

    var result: Result<Void, AMQPError>? {
        state.withLock { state in
            if case .settled(let result) = state { return result }
            return nil
        }
    }

    func wait() async throws {
        if let result { return try result.get() }
        try await withCheckedThrowingContinuation { continuation in
            let settled: Result<Void, AMQPError>? = state.withLock { state in
                switch state {
                case .settled(let result):
                    return result
                case .pending(var waiters):
                    waiters.append(continuation)
                    state = .pending(waiters)
                    return nil
                }
            }
            if let settled { continuation.resume(with: settled.mapError { $0 }) }
        }
    }
}
