import Foundation

/// What the stages do with stock: `InventoryStore`'s methods they call, so a
/// stage's decisions can run against an in-memory fake. See `InventoryStore`
/// for what each step guarantees.
public protocol StockLedger: Sendable {
    func reserve(orderID: String, lines: [(sku: String, quantity: Int)], locations: [String]) async throws
        -> Reservation
    @discardableResult
    func release(orderID: String, skus: [String]) async throws -> [String: Int]
    @discardableResult
    func commit(orderID: String, skus: [String]) async throws -> [String: Int]
    func restock(sku: String, quantity: Int, restockID: String?, location: String?) async throws -> Restock
    func levels(sku: String) async throws -> StockLevels?
    func locations(of skus: [String]) async throws -> [String: String]

    func addBackorder(orderID: String, skus: [String], receivedAt: Date) async throws
    func backorders(sku: String, limit: Int) async throws -> [String]
    func removeBackorder(orderID: String, skus: [String]) async throws
}

extension InventoryStore: StockLedger {}
