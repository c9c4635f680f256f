/// A SKU whose available stock a reservation took down to its reorder point or below.
public struct LowStock: Sendable, Hashable {
    public var sku: String
    public var available: Int
    public var reorderPoint: Int

    public init(sku: String, available: Int, reorderPoint: Int) {
        self.sku = sku
        self.available = available
        self.reorderPoint = reorderPoint
    }
}
