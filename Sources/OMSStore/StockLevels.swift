/// One SKU's stock, read in one atomic step.
public struct StockLevels: Sendable, Hashable {
    public var available: Int
    public var reserved: Int
    public var bin: String?
    public var reorderPoint: Int?
    /// The sum of the per-order holds.
    public var held: Int
    /// Order → quantity held, when the holds were read with the counters.
    public var holds: [String: Int]
    /// Location → its counters, for a SKU stocked per location; empty otherwise.
    public var locations: [String: LocationStock]

    public init(available: Int, reserved: Int, bin: String?, reorderPoint: Int?, held: Int,
                holds: [String: Int] = [:], locations: [String: LocationStock] = [:]) {
        self.available = available
        self.reserved = reserved
        self.bin = bin
        self.reorderPoint = reorderPoint
        self.held = held
        self.holds = holds
        self.locations = locations
    }

    /// The levels in a stock hash (field → value, as HGETALL gives it), with
    /// the SKU's holds (order → quantity) and where they are (order →
    /// location) when read too; nil when the hash and the holds are empty.
    public init?(stock fields: [String: String], holds: [String: String] = [:], heldAt: [String: String] = [:]) {
        guard !fields.isEmpty || !holds.isEmpty else { return nil }
        var locations: [String: LocationStock] = [:]
        for (field, value) in fields {
            if field.hasPrefix("available@") {
                locations[String(field.dropFirst(10)), default: .empty].available = Int(value) ?? 0
            } else if field.hasPrefix("reserved@") {
                locations[String(field.dropFirst(9)), default: .empty].reserved = Int(value) ?? 0
            }
        }
        let quantities = holds.mapValues { Int($0) ?? 0 }
        for (orderID, location) in heldAt { locations[location, default: .empty].held += quantities[orderID] ?? 0 }
        self.init(available: fields["available"].flatMap { Int($0) } ?? 0,
                  reserved: fields["reserved"].flatMap { Int($0) } ?? 0, bin: fields["location"],
                  reorderPoint: fields["reorder_point"].flatMap { Int($0) },
                  held: quantities.values.reduce(0, +), holds: quantities, locations: locations)
    }

    /// Whether `reserved` is exactly what the orders hold, as every script
    /// keeps it, and, per location, the counters add up to the totals and
    /// each location's `reserved` is what the orders hold there.
    public var isConsistent: Bool {
        guard reserved == held && available >= 0 && reserved >= 0 else { return false }
        guard !locations.isEmpty else { return true }
        return locations.values.map(\.available).reduce(0, +) == available
            && locations.values.allSatisfy { $0.reserved == $0.held && $0.available >= 0 && $0.reserved >= 0 }
    }
}

/// A SKU's stock at one location: `available@LOC`, `reserved@LOC`, and the
/// sum of the holds recorded as being there.
public struct LocationStock: Sendable, Hashable {
    public var available: Int
    public var reserved: Int
    public var held: Int

    public init(available: Int, reserved: Int, held: Int) {
        self.available = available
        self.reserved = reserved
        self.held = held
    }

    static let empty = LocationStock(available: 0, reserved: 0, held: 0)
}
