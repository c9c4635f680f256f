import OMSDomain

/// What a stage does with an order handed to it (payment, pick, ship), by
/// the order's stored status: the stage moves it from `start` to `target`.
enum HandoffStep: Sendable, Hashable {
    /// In `start`: do the stage's work.
    case proceed
    /// In `target` already (a redelivery): announce the move again.
    case announce(version: Int)
    /// Anywhere else (cancelled meanwhile…): nothing to do.
    case skip(OrderStatus)
    /// Not stored: capture stores every order first, so the hand-off is wrong.
    case missing

    init(stored: (status: OrderStatus, version: Int)?, start: OrderStatus, target: OrderStatus) {
        switch stored {
        case nil: self = .missing
        case let (status, _)? where status == start: self = .proceed
        case let (status, version)? where status == target: self = .announce(version: version)
        case let (status, _)?: self = .skip(status)
        }
    }

    static func missingReason(_ orderID: String) -> String {
        "order \(orderID) is not in Redis; capture stores every order first"
    }
}
