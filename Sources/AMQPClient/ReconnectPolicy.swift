/// Capped exponential backoff between reconnect attempts.
public struct ReconnectPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var multiplier: Double

    public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5),
                multiplier: Double = 2) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
    }

    /// The wait before attempt `attempt` (0 for the first retry).
    public func delay(forAttempt attempt: Int) -> Duration {
        var seconds = initialDelay.seconds
        for _ in 0..<attempt where seconds < maximumDelay.seconds { seconds *= multiplier }
        return .nanoseconds(Int64(min(seconds, maximumDelay.seconds) * 1e9))
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var milliseconds: Int {
        Int(seconds * 1000)
    }
}
