/// A connection's life as a value: open, reconnecting, closed. Each event
/// returns what the I/O layer must do, so the rules (when to fail unconfirmed
/// publishes, how long to back off, when waiters may go on) are tested with
/// no broker.
struct ConnectionLifecycle: Equatable {
    enum State: Equatable {
        case open(generation: UInt64)
        case reconnecting(attempt: Int, generation: UInt64)
        case closed
    }

    enum Action: Equatable {
        /// Drop the socket, fail every unconfirmed publish with this error, and
        /// forget consumer tags: delivery tags of the old channel are void.
        case abandon(AMQPError)
        case reconnect(after: Duration)
        /// Let requests waiting for a connection go on.
        case resumeWaiters
        case none
    }

    private(set) var state: State = .open(generation: 1)
    let policy: ReconnectPolicy

    init(policy: ReconnectPolicy) {
        self.policy = policy
    }

    /// Delivery tags and confirms belong to one generation of the connection.
    var generation: UInt64 {
        switch state {
        case .open(let generation), .reconnecting(_, let generation): generation
        case .closed: 0
        }
    }

    var isOpen: Bool {
        if case .open = state { return true }
        return false
    }

    var isClosed: Bool { state == .closed }

    mutating func lost(_ error: AMQPError) -> [Action] {
        guard case .open(let generation) = state else { return [] }
        state = .reconnecting(attempt: 0, generation: generation)
        return [.abandon(error), .reconnect(after: policy.delay(forAttempt: 0))]
    }

    mutating func reconnectFailed() -> Action {
        guard case .reconnecting(let attempt, let generation) = state else { return .none }
        state = .reconnecting(attempt: attempt + 1, generation: generation)
        return .reconnect(after: policy.delay(forAttempt: attempt + 1))
    }

    mutating func reconnected() -> Action {
        guard case .reconnecting(_, let generation) = state else { return .none }
        state = .open(generation: generation + 1)
        return .resumeWaiters
    }

    mutating func closed() {
        state = .closed
    }
}
