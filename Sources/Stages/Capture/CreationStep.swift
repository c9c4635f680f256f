import OMSDomain
import OMSStore

/// What capture does with an order once the store has it, by what storing found.
enum CreationStep: Sendable, Hashable {
    /// The id names another order: dead-letter.
    case refuse
    /// A redelivery of an order capture has settled: publish its messages again.
    case announce(OrderStatus, version: Int)
    /// A new order, or one a crash left received: hold it, or reserve its stock.
    case settle

    init(_ creation: Creation) {
        switch creation {
        case .conflict: self = .refuse
        case .duplicate(let status, let version) where status != .received: self = .announce(status, version: version)
        case .created, .duplicate: self = .settle
        }
    }

    static func conflictReason(_ orderID: String) -> String {
        "order \(orderID) already exists with other content; an order id names one order: publish changes "
            + "under a new id, or cancel the order"
    }
}
