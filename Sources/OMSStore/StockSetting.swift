import OMSContract
import RedisClient

/// What `InventoryStore.set` writes for one SKU: its available stock, and
/// its bin and reorder point when given (nil leaves them as they are).
public struct StockSetting: Sendable, Hashable {
    public var sku: String
    public var available: Int
    public var location: String?
    public var reorderPoint: Int?

    public init(sku: String, available: Int, location: String? = nil, reorderPoint: Int? = nil) {
        self.sku = sku
        self.available = available
        self.location = location
        self.reorderPoint = reorderPoint
    }

    var command: RedisCommand {
        var arguments: [any RedisArgument] = [RedisKeys.stock(sku), "available", available]
        if let location { arguments += ["location", location] }
        if let reorderPoint { arguments += ["reorder_point", reorderPoint] }
        return RedisCommand("HSET", arguments: arguments)
    }
}
