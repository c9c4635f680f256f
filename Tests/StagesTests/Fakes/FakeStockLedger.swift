import Foundation
import OMSStore

/// Stock in memory: all of an order's lines held or none, a hold counted
/// once per order and SKU, restocks counted once per id, a reorder point
/// reported when a reservation takes available from above it to it or below.
/// No SKU is stocked per location; the locations a reservation is offered,
/// and where restocks say they arrived, are kept for the tests to read.
actor FakeStockLedger: StockLedger {
    private(set) var offeredLocations: [String: [String]] = [:]
    private(set) var restockLocations: [String: String] = [:]
    private(set) var available: [String: Int]
    private(set) var holds: [String: [String: Int]] = [:]
    private(set) var backorderQueues: [String: [String]] = [:]
    private let reorderPoints: [String: Int]
    private var restockIDs: Set<String> = []

    init(available: [String: Int], reorderPoints: [String: Int] = [:]) {
        self.available = available
        self.reorderPoints = reorderPoints
    }

    func held(by orderID: String) -> [String: Int] {
        holds.compactMapValues { $0[orderID] }
    }

    func reserve(orderID: String, lines: [(sku: String, quantity: Int)], locations: [String]) async throws
        -> Reservation {
        offeredLocations[orderID] = locations
        var wanted: [String: Int] = [:]
        for line in lines { wanted[line.sku, default: 0] += line.quantity }
        let short = wanted.filter { sku, quantity in
            holds[sku]?[orderID] == nil && available[sku, default: 0] < quantity
        }.keys.sorted()
        guard short.isEmpty else {
            release(orderID, wanted.keys)
            return .short(skus: short)
        }
        var lowStock: [LowStock] = []
        for (sku, quantity) in wanted.sorted(by: { $0.key < $1.key }) where holds[sku]?[orderID] == nil {
            let before = available[sku, default: 0]
            available[sku] = before - quantity
            holds[sku, default: [:]][orderID] = quantity
            if let point = reorderPoints[sku], before > point, before - quantity <= point {
                lowStock.append(LowStock(sku: sku, available: before - quantity, reorderPoint: point))
            }
        }
        return .reserved(lowStock: lowStock)
    }

    func release(orderID: String, skus: [String]) async throws -> [String: Int] {
        release(orderID, skus)
    }

    func commit(orderID: String, skus: [String]) async throws -> [String: Int] {
        var committed: [String: Int] = [:]
        for sku in skus { committed[sku] = holds[sku]?.removeValue(forKey: orderID) ?? 0 }
        return committed
    }

    func restock(sku: String, quantity: Int, restockID: String?, location: String?) async throws -> Restock {
        if let location { restockLocations[sku] = location }
        if let restockID, !restockIDs.insert(restockID).inserted {
            return Restock(applied: false, available: available[sku, default: 0])
        }
        available[sku, default: 0] += quantity
        return Restock(applied: true, available: available[sku, default: 0])
    }

    func levels(sku: String) async throws -> StockLevels? {
        let held = holds[sku, default: [:]].values.reduce(0, +)
        return available[sku].map { StockLevels(available: $0, reserved: held, bin: nil, reorderPoint: nil,
                                                held: held) }
    }

    func locations(of skus: [String]) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: skus.map { ($0, "A-01") })
    }

    func addBackorder(orderID: String, skus: [String], receivedAt: Date) async throws {
        for sku in skus where !(backorderQueues[sku]?.contains(orderID) ?? false) {
            backorderQueues[sku, default: []].append(orderID)
        }
    }

    func backorders(sku: String, limit: Int) async throws -> [String] {
        Array(backorderQueues[sku, default: []].prefix(limit))
    }

    func removeBackorder(orderID: String, skus: [String]) async throws {
        for sku in skus { backorderQueues[sku]?.removeAll { $0 == orderID } }
    }

    @discardableResult
    private func release(_ orderID: String, _ skus: some Sequence<String>) -> [String: Int] {
        var released: [String: Int] = [:]
        for sku in skus {
            let quantity = holds[sku]?.removeValue(forKey: orderID) ?? 0
            available[sku, default: 0] += quantity
            released[sku] = quantity
        }
        return released
    }
}
