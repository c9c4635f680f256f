/// One SKU's stock, read in one atomic step.
public struct StockLevels: Sendable, Hashable {
    public var available: Int
    public var reserved: Int
    /// The bin.
    public var location: String?
    public var reorderPoint: Int?
    /// The sum of the per-order holds.
    public var held: Int

    public init(available: Int, reserved: Int, location: String?, reorderPoint: Int?, held: Int) {
        self.available = available
        self.reserved = reserved
        self.location = location
        self.reorderPoint = reorderPoint
        self.held = held
    }

    /// Whether `reserved` is exactly what the orders hold, as every script keeps it.
    public var isConsistent: Bool { reserved == held && available >= 0 && reserved >= 0 }
}
