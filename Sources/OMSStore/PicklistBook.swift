import Foundation

/// One location's picklists as pick and its picklist writer use them:
/// `PicklistStore`'s methods, so pick's decisions can run against an
/// in-memory fake. See `PicklistStore` for what each step guarantees.
public protocol PicklistBook: Sendable {
    func assign(orderID: String, lines: [PicklistStore.Line], at time: Date, window: Duration,
                mostOrders: Int) async throws -> String
    @discardableResult
    func void(orderID: String) async throws -> String?
    func closeIfDue(at time: Date, window: Duration) async throws
    func unwritten() async throws -> [String]
    func markWritten(_ id: String) async throws
    func assignments(on id: String) async throws -> [PicklistStore.Assignment]
}

extension PicklistStore: PicklistBook {}
