/// The lifecycle stages, one worker executable and one queue each.
public enum Stage: String, Sendable, CaseIterable, Hashable {
    case capture, payment, pick, ship, notify
    case `return`

    /// `oms.capture` … `oms.return`.
    public var queue: String { "oms.\(rawValue)" }

    /// `oms-capture` …: the executable, the log label's suffix.
    public var executable: String { "oms-\(rawValue)" }
}
