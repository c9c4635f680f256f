import OMSDomain

/// The outcome of moving an order to a status.
public enum Transition: Sendable, Hashable {
    /// Moved from `from`; `version` is the order's new version.
    case applied(from: OrderStatus, version: Int)
    /// The order is in that status already (a redelivery): nothing changed.
    case already(version: Int)
    /// The state machine allows no move from `current` to that status: nothing changed.
    case refused(current: OrderStatus, version: Int)
    /// No such order.
    case missing

    /// The order's version when it is now in the status asked for (moved or
    /// already there); nil when refused or missing.
    public var version: Int? {
        switch self {
        case .applied(_, let version), .already(let version): version
        case .refused, .missing: nil
        }
    }
}
