import Foundation

/// One batch-picking round across several orders: per SKU, where it is, how
/// many to pick in all, and how many of those go to which order. Entries stay
/// in the order given: the caller sorts them into a walking route.
public struct Picklist: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var sku: String
        /// The bin; nil when the SKU has none recorded.
        public var location: String?
        /// Units to pick, for all orders together.
        public var quantity: Int
        public var orders: [OrderQuantity]

        public init(sku: String, location: String?, quantity: Int, orders: [OrderQuantity]) {
            self.sku = sku
            self.location = location
            self.quantity = quantity
            self.orders = orders
        }
    }

    /// How many units of an entry's SKU one order takes.
    public struct OrderQuantity: Sendable, Hashable {
        public var orderID: String
        public var quantity: Int

        public init(orderID: String, quantity: Int) {
            self.orderID = orderID
            self.quantity = quantity
        }
    }

    public var id: String
    public var createdAt: Date
    public var entries: [Entry]

    public init(id: String, createdAt: Date, entries: [Entry]) {
        self.id = id
        self.createdAt = createdAt
        self.entries = entries
    }

    /// Units across all entries.
    public var unitCount: Int {
        entries.reduce(0) { $0 + $1.quantity }
    }

    /// Distinct orders the list serves.
    public var orderCount: Int {
        Set(entries.flatMap { $0.orders.map(\.orderID) }).count
    }
}
