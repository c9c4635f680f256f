import Foundation
import OMSDomain

/// How an order came into its status: what the report's tally of that status
/// needs, as the transition script tells it (or `create`, for `received`).
struct StatusEntry: Sendable, Hashable {
    var status: OrderStatus
    /// Nil for a new order (and for an order whose history does not say).
    var from: OrderStatus?
    var channel: String
    /// When the order was received; nil when the order hash does not say.
    var createdAt: Date?
    /// When the order entered `status`; nil when its history does not say.
    var enteredAt: Date?
}
