import Foundation
import OMSSettings

/// How transient failures are retried: attempt n (1-based) that fails waits
/// `delays[n-1]` before the next; once the delays are used up the message is
/// dead-lettered. A small pure value.
public struct RetryPolicy: Sendable, Equatable {
    public var delays: [Duration]

    public init(delays: [Duration] = [.seconds(1), .seconds(5), .seconds(30)]) {
        self.delays = delays
    }

    /// `OMS_RETRY_DELAYS_MS` when set, else `fallback`: how workers and
    /// `oms topology apply` read the schedule alike.
    public static func configured(in environment: Environment = .current,
                                  default fallback: RetryPolicy = RetryPolicy()) throws(SettingError) -> RetryPolicy {
        try OMSSetting.retryDelays.value(in: environment).map { RetryPolicy(delays: $0.map(Duration.milliseconds)) }
            ?? fallback
    }

    public var maximumAttempts: Int { delays.count + 1 }

    /// The wait before retrying after `attempt` failed, or nil when that was the last.
    public func delay(after attempt: Int) -> Duration? {
        attempt >= 1 && attempt <= delays.count ? delays[attempt - 1] : nil
    }
}
