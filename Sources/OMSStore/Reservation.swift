/// The outcome of reserving an order's lines: all of them, or none.
public enum Reservation: Sendable, Hashable {
    /// Every line is held for the order. `lowStock` lists the SKUs this
    /// reservation took down to their reorder point or below: each downward
    /// crossing is reported once, and a redelivered reservation reports none.
    case reserved(lowStock: [LowStock])
    /// These SKUs had too little available; the order holds nothing.
    case short(skus: [String])
}
