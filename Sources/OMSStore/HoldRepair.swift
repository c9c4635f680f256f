/// A hold whose order no longer needs it, and what to do with its units.
public struct StaleHold: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        /// The order ended without shipping: the units go back to available.
        case release
        /// The order shipped: the units left the building.
        case commit
    }

    public var orderID: String
    public var action: Action

    public init(orderID: String, action: Action) {
        self.orderID = orderID
        self.action = action
    }
}

/// What `InventoryStore.repairHolds` changed on one SKU.
public struct HoldRepair: Sendable, Hashable {
    public var reservedBefore: Int
    public var reservedAfter: Int
    public var releasedToAvailable: Int
    public var holdsRemoved: Int

    public init(reservedBefore: Int, reservedAfter: Int, releasedToAvailable: Int, holdsRemoved: Int) {
        self.reservedBefore = reservedBefore
        self.reservedAfter = reservedAfter
        self.releasedToAvailable = releasedToAvailable
        self.holdsRemoved = holdsRemoved
    }
}
