/// The outcome of reserving an order's lines: all of them, or none.
public enum Reservation: Sendable, Hashable {
    /// Every line is held for the order. `lowStock` lists the SKUs this
    /// reservation took down to their reorder point or below: each downward
    /// crossing is reported once, and a redelivered reservation reports none.
    /// `location` is where every line stocked per location is held: the
    /// order ships from there. Nil when no line's SKU is stocked per location.
    case reserved(lowStock: [LowStock], location: String? = nil)
    /// These SKUs had too little available (or, stocked per location, no
    /// location had every line); the order holds nothing.
    case short(skus: [String])
}
