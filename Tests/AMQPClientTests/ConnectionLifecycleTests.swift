import Testing
@testable import AMQPClient

@Suite("Connection lifecycle")
struct ConnectionLifecycleTests {
    let policy = ReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), multiplier: 2)
    let cause = AMQPError(.connectionLost, "socket closed", operation: "read")

    @Test("backoff doubles and stops at the cap")
    func backoff() {
        #expect((0...5).map { policy.delay(forAttempt: $0) } == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
        ])
    }

    @Test("a lost connection abandons the old channel, then reconnects after the first delay")
    func lost() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        #expect(lifecycle.lost(cause) == [.abandon(cause), .reconnect(after: .milliseconds(100))])
        #expect(!lifecycle.isOpen)
        #expect(lifecycle.lost(cause) == [], "a second report of the same loss changes nothing")
    }

    @Test("failed attempts back off; success opens a new generation and resumes waiters")
    func reconnect() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        _ = lifecycle.lost(cause)
        #expect(lifecycle.reconnectFailed() == .reconnect(after: .milliseconds(200)))
        #expect(lifecycle.reconnectFailed() == .reconnect(after: .milliseconds(400)))
        #expect(lifecycle.reconnected() == .resumeWaiters)
        #expect(lifecycle.state == .open(generation: 2))
    }

    @Test("deliveries of an older generation are told apart")
    func generations() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        let before = lifecycle.generation
        _ = lifecycle.lost(cause)
        _ = lifecycle.reconnected()
        #expect(lifecycle.generation == before + 1)
    }

    @Test("once closed, nothing reconnects")
    func closed() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        lifecycle.closed()
        #expect(lifecycle.lost(cause) == [])
        #expect(lifecycle.reconnected() == .none)
        #expect(lifecycle.isClosed)
    }
}
