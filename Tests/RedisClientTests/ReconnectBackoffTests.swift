import Testing
@testable import RedisClient

@Suite("Reconnect backoff")
struct ReconnectBackoffTests {
    @Test("waits double from 50 ms and stop growing at 1 s")
    func doubling() {
        var backoff = ReconnectBackoff(timeout: .seconds(60))
        let delays = (0..<8).map { _ in backoff.delay(elapsed: .zero) }
        #expect(delays == [
            .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
            .seconds(1), .seconds(1), .seconds(1),
        ])
    }

    @Test("the last wait is cut so the last attempt falls on the deadline")
    func lastWaitCut() {
        var backoff = ReconnectBackoff(timeout: .seconds(10))
        #expect(backoff.delay(elapsed: .milliseconds(9_980)) == .milliseconds(20))
    }

    @Test("no more attempts once the timeout has passed")
    func timeUp() {
        var backoff = ReconnectBackoff(timeout: .seconds(10))
        #expect(backoff.delay(elapsed: .seconds(10)) == nil)
        #expect(backoff.delay(elapsed: .seconds(11)) == nil)
    }
}
