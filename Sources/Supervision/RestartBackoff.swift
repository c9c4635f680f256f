/// How long the supervisor waits before restarting a copy that died: 1 s,
/// then doubling with each restart in a row up to `maximum`, so that a copy
/// that cannot start (a server away, a bad setting) does not spin. A copy
/// that ran for `stableAfter` before dying starts the count again.
public struct RestartBackoff: Sendable, Equatable {
    public var first: Duration = .seconds(1)
    public var maximum: Duration = .seconds(30)
    public var stableAfter: Duration = .seconds(60)

    public init() {}

    /// The wait before the restart that follows `failuresInARow` deaths (1 or more).
    public func delay(afterFailuresInARow failuresInARow: Int) -> Duration {
        let doublings = min(max(failuresInARow - 1, 0), 16)
        return min(first * (1 << doublings), maximum)
    }

    /// The count of deaths in a row once a copy that ran for `uptime` died.
    public func failuresInARow(previous: Int, uptime: Duration) -> Int {
        uptime >= stableAfter ? 1 : previous + 1
    }
}
