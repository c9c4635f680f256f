import OMSDomain

/// The lifecycle stages, one worker executable and one queue each.
public enum Stage: String, Sendable, CaseIterable, Hashable {
    case capture, payment, pick, ship, notify
    case `return`

    /// `oms.capture` … `oms.return`.
    public var queue: String { "oms.\(rawValue)" }

    /// `oms-capture` …: the executable, the log label's suffix.
    public var executable: String { "oms-\(rawValue)" }

    /// The stage that performs a hand-off's action.
    public init(performing action: Handoff.Action) {
        switch action {
        case .charge, .refund: self = .payment
        case .pick: self = .pick
        case .ship: self = .ship
        case .receive: self = .return
        }
    }
}
