import Foundation

/// How transient failures are retried: attempt n (1-based) that fails waits
/// `delays[n-1]` before the next; once the delays are used up the message is
/// dead-lettered. A small pure value.
public struct RetryPolicy: Sendable, Equatable {
    public var delays: [Duration]

    public init(delays: [Duration] = [.seconds(1), .seconds(5), .seconds(30)]) {
        self.delays = delays
    }

    /// Delays from a comma-separated list of milliseconds
    /// (`OMS_RETRY_DELAYS_MS`, e.g. "1000, 5000"); what is not a number is skipped.
    public init(milliseconds list: String) {
        self.init(delays: list.split(separator: ",").compactMap { Int($0.filter { !$0.isWhitespace }) }
            .map { .milliseconds($0) })
    }

    /// `OMS_RETRY_DELAYS_MS` (or a flag's value) when set, else `fallback`:
    /// how workers and `oms topology apply` read the schedule alike.
    public static func configured(_ milliseconds: String? = ProcessInfo.processInfo.environment["OMS_RETRY_DELAYS_MS"],
                                  default fallback: RetryPolicy = RetryPolicy()) -> RetryPolicy {
        milliseconds.map(RetryPolicy.init(milliseconds:)) ?? fallback
    }

    public var maximumAttempts: Int { delays.count + 1 }

    /// The wait before retrying after `attempt` failed, or nil when that was the last.
    public func delay(after attempt: Int) -> Duration? {
        attempt >= 1 && attempt <= delays.count ? delays[attempt - 1] : nil
    }
}
