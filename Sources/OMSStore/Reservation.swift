/// The outcome of reserving an order's lines: all of them, or none.
public enum Reservation: Sendable, Hashable {
    /// Every line is held for the order. `lowStock` lists the SKUs this
    /// reservation took down to their reorder point or below: each downward
    /// crossing is reported once, and a redelivered reservation reports none.
    /// `heldAt` says where each SKU stocked per location is held (SKU →
    /// location): one location when one has every line, else several, and
    /// the order ships as one parcel per location.
    case reserved(lowStock: [LowStock], heldAt: [String: String] = [:])
    /// These SKUs had too little available (or, stocked per location, no
    /// location had the whole line); the order holds nothing.
    case short(skus: [String])
}

extension Reservation {
    /// The one location holding every line stocked per location; nil when
    /// none is, or when the lines are held at several.
    public var location: String? {
        guard case .reserved(_, let heldAt) = self, let first = heldAt.values.first,
              heldAt.values.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}
