import OMSDomain

/// What a stage does with an order handed to it (payment, pick, ship), by
/// the order's stored status: the stage moves it from `start` to `target`.
enum HandoffStep: Sendable, Hashable {
    /// In `start`: do the stage's work.
    case proceed
    /// In `target` already (a redelivery): announce the move again.
    case announce(version: Int)
    /// Before `start`, though the hand-off was sent after the order got
    /// there: the read came from a Redis node that lost the move or has not
    /// got it yet (a master failing over, or started again and not yet told
    /// it was replaced). Try again later, never drop it.
    case behind(OrderStatus)
    /// Anywhere else (cancelled meanwhile…): nothing to do.
    case skip(OrderStatus)
    /// Not stored: capture stores every order first, so the hand-off is wrong.
    case missing

    init(stored: (status: OrderStatus, version: Int)?, start: OrderStatus, target: OrderStatus) {
        switch stored {
        case nil: self = .missing
        case let (status, _)? where status == start: self = .proceed
        case let (status, version)? where status == target: self = .announce(version: version)
        case let (status, _)? where status.leads(to: start): self = .behind(status)
        case let (status, _)?: self = .skip(status)
        }
    }

    static func behindReason(_ orderID: String, _ status: OrderStatus, start: OrderStatus) -> String {
        "order \(orderID) reads \(status.rawValue), behind the \(start.eventType) that handed it over: "
            + "Redis may be failing over"
    }

    static func missingReason(_ orderID: String) -> String {
        "order \(orderID) is not in Redis; capture stores every order first"
    }
}
