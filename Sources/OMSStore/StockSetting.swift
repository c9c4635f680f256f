import OMSContract
import RedisClient

/// What `InventoryStore.set` writes for one SKU: its available stock (at a
/// location, for a SKU stocked per location), and its bin and reorder point
/// when given (nil leaves them as they are).
public struct StockSetting: Sendable, Hashable {
    public var sku: String
    public var available: Int
    public var bin: String?
    public var reorderPoint: Int?
    /// The location whose stock this is (`available@LOC`); the first one
    /// given makes the SKU stocked per location.
    public var location: String?

    public init(sku: String, available: Int, bin: String? = nil, reorderPoint: Int? = nil, location: String? = nil) {
        self.sku = sku
        self.available = available
        self.bin = bin
        self.reorderPoint = reorderPoint
        self.location = location
    }

    var commands: [RedisCommand] {
        var fields: [any RedisArgument] = []
        if let bin { fields += ["location", bin] }
        if let reorderPoint { fields += ["reorder_point", reorderPoint] }
        let available = InventoryStore.stockChange(sku: sku, quantity: available, restockID: nil, location: location,
                                                   mode: "set")
        return [available] + (fields.isEmpty ? [] : [RedisCommand("HSET", arguments: [RedisKeys.stock(sku)] + fields)])
    }
}
