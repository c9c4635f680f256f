/// The waits between reconnect attempts: `initialDelay` doubling up to
/// `maximumDelay`, all within `timeout` of the first attempt.
struct ReconnectBackoff {
    let timeout: Duration
    let maximumDelay: Duration
    private var nextDelay: Duration

    init(timeout: Duration, initialDelay: Duration = .milliseconds(50), maximumDelay: Duration = .seconds(1)) {
        self.timeout = timeout
        self.maximumDelay = maximumDelay
        nextDelay = initialDelay
    }

    /// The wait before the next attempt, `elapsed` after the first one; the
    /// last wait is cut short so that the last attempt falls on the deadline.
    /// Nil when the time is up.
    mutating func delay(elapsed: Duration) -> Duration? {
        let remaining = timeout - elapsed
        guard remaining > .zero else { return nil }
        defer { nextDelay = min(nextDelay * 2, maximumDelay) }
        return min(nextDelay, remaining)
    }
}
