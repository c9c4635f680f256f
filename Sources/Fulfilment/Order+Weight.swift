import OMSDomain

/// Parcel weights from order lines. `weight_grams` is optional in `order.place`
/// and may be 0 (a digital add-on, or a shop that never weighed the item); such
/// a line counts `defaultItemWeightGrams` per unit — the rate table's
/// `default_item_weight_grams` — so that a parcel is never priced, routed or
/// declared as weightless.
extension OrderLine {
    /// Grams of one unit: its own weight, or the default when unknown or 0.
    public func unitWeightGrams(defaultItemWeightGrams: Int) -> Int {
        if let weightGrams, weightGrams > 0 { return weightGrams }
        return defaultItemWeightGrams
    }

    /// Grams of the whole line: unit weight times quantity.
    public func shippingWeightGrams(defaultItemWeightGrams: Int) -> Int {
        unitWeightGrams(defaultItemWeightGrams: defaultItemWeightGrams) * quantity
    }
}

extension Order {
    /// Grams of every line together (packaging not included).
    public func shippingWeightGrams(defaultItemWeightGrams: Int) -> Int {
        lines.reduce(0) { $0 + $1.shippingWeightGrams(defaultItemWeightGrams: defaultItemWeightGrams) }
    }
}
