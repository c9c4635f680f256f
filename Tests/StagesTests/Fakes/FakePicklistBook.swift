import Foundation
import OMSStore

/// One picklist, "PL-1", for every location: open until `closeIfDue`, then
/// closed and waiting to be written. `duringAssign` runs while an order is
/// being put on it: a cancel racing the pick.
actor FakePicklistBook: PicklistBook {
    private(set) var assigned: [String: [PicklistStore.Line]] = [:]
    private(set) var voided: [String] = []
    private(set) var written: Set<String> = []
    private var arrivals: [String] = []
    private var closed = false
    private let duringAssign: @Sendable (String) async -> Void

    init(duringAssign: @escaping @Sendable (String) async -> Void = { _ in }) {
        self.duringAssign = duringAssign
    }

    func assign(orderID: String, lines: [PicklistStore.Line], at time: Date, window: Duration,
                mostOrders: Int) async throws -> String {
        if assigned.updateValue(lines, forKey: orderID) == nil { arrivals.append(orderID) }
        await duringAssign(orderID)
        return "PL-1"
    }

    func void(orderID: String) async throws -> String? {
        guard assigned.removeValue(forKey: orderID) != nil else { return nil }
        arrivals.removeAll { $0 == orderID }
        voided.append(orderID)
        return "PL-1"
    }

    func closeIfDue(at time: Date, window: Duration) async throws {
        closed = closed || !assigned.isEmpty
    }

    func unwritten() async throws -> [String] {
        closed && !written.contains("PL-1") ? ["PL-1"] : []
    }

    func markWritten(_ id: String) async throws {
        written.insert(id)
    }

    func assignments(on id: String) async throws -> [PicklistStore.Assignment] {
        arrivals.compactMap { orderID in
            assigned[orderID].map { PicklistStore.Assignment(orderID: orderID, lines: $0) }
        }
    }
}
