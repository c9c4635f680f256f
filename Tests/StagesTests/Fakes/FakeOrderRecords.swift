import Foundation
import OMSDomain
import OMSStore

/// Orders in memory, moved by the same rules as `transition.lua`: in the
/// status asked for already → `.already`; allowed by `OrderStatus.transitions`
/// (and no forbidding effect) → `.applied`, version + 1; else `.refused`.
actor FakeOrderRecords: OrderRecords {
    struct Stored: Sendable {
        var status: OrderStatus
        var version: Int
        var document: [UInt8]
        var contentHash: String
        var fields: [String: String] = [:]
        var notes: [String] = []
        var history: [HistoryEntry] = []
    }

    private(set) var orders: [String: Stored] = [:]
    private(set) var effects: [String: [String: String]] = [:]
    private(set) var tallied: [String: Set<String>] = [:]
    private var leases: Set<String> = []
    /// Thrown by every call while set: Redis away.
    private var outage: (any Error)?

    /// Stores an order as a stage before this one left it.
    func seed(_ order: Order, status: OrderStatus, version: Int, fields: [String: String] = [:]) {
        let document = OrderCoding.encode(order)
        orders[order.id] = Stored(status: status, version: version, document: document,
                                  contentHash: OrderCoding.contentHash(document), fields: fields)
    }

    func setEffect(_ effect: String, _ value: String, on orderID: String) {
        effects[orderID, default: [:]][effect] = value
    }

    func takeLease(orderID: String, effect: String) {
        leases.insert(orderID + " " + effect)
    }

    func fail(with error: any Error) {
        outage = error
    }

    func stored(_ orderID: String) -> Stored? { orders[orderID] }

    // MARK: - OrderRecords

    func create(orderID: String, channel: String, document: [UInt8], contentHash: String, at time: Date,
                stage: String) async throws -> Creation {
        try check()
        if let stored = orders[orderID] {
            return stored.contentHash == contentHash ? .duplicate(status: stored.status, version: stored.version)
                : .conflict(status: stored.status, version: stored.version)
        }
        orders[orderID] = Stored(status: .initial, version: 1, document: document, contentHash: contentHash,
                                 fields: ["channel": channel],
                                 history: [HistoryEntry(from: nil, to: .initial, version: 1, time: time, stage: stage,
                                                        note: "received")])
        tallied[orderID, default: []].insert("status:received")
        return .created
    }

    func transition(orderID: String, to status: OrderStatus, stage: String, note: String, fields: [String: String],
                    counting extra: [ReportCounter: Int], unless forbiddingEffect: String?,
                    at time: Date) async throws -> Transition {
        try check()
        guard var stored = orders[orderID] else { return .missing }
        if stored.status == status {
            tallied[orderID, default: []].insert("status:\(status.rawValue)")
            return .already(version: stored.version)
        }
        let forbidden = forbiddingEffect.map { effects[orderID]?[$0] != nil } ?? false
        guard stored.status.canMove(to: status), !forbidden else {
            return .refused(current: stored.status, version: stored.version)
        }
        let from = stored.status
        stored.status = status
        stored.version += 1
        stored.fields.merge(fields) { $1 }
        stored.notes.append(note)
        stored.history.append(HistoryEntry(from: from, to: status, version: stored.version, time: time, stage: stage,
                                           note: note))
        orders[orderID] = stored
        tallied[orderID, default: []].insert("status:\(status.rawValue)")
        return .applied(from: from, version: stored.version)
    }

    func record(orderID: String, stage: String, note: String, at time: Date) async throws -> Bool {
        try check()
        guard orders[orderID] != nil else { return false }
        orders[orderID]?.notes.append(note)
        return true
    }

    func status(orderID: String) async throws -> (status: OrderStatus, version: Int)? {
        try check()
        return orders[orderID].map { ($0.status, $0.version) }
    }

    func status(orderID: String, with names: [String]) async throws
        -> (stored: (status: OrderStatus, version: Int)?, fields: [String: String]) {
        try check()
        let fields = orders[orderID]?.fields.filter { names.contains($0.key) } ?? [:]
        return (orders[orderID].map { ($0.status, $0.version) }, fields)
    }

    func fields(orderID: String) async throws -> [String: String] {
        try check()
        guard let stored = orders[orderID] else { return [:] }
        return stored.fields.merging(["status": stored.status.rawValue, "version": "\(stored.version)",
                                      "document": String(decoding: stored.document, as: UTF8.self)]) { $1 }
    }

    func document(orderID: String) async throws -> [UInt8]? {
        try check()
        return orders[orderID]?.document
    }

    func history(orderID: String) async throws -> [HistoryEntry] {
        try check()
        return orders[orderID]?.history ?? []
    }

    func recordEffect(orderID: String, effect: String, value: String) async throws {
        try check()
        effects[orderID, default: [:]][effect] = value
    }

    func claimEffect(orderID: String, effect: String, value: String,
                     while status: OrderStatus) async throws -> EffectClaim {
        try check()
        guard let current = orders[orderID]?.status, current == status else {
            return .refused(current: orders[orderID]?.status)
        }
        effects[orderID, default: [:]][effect] = value
        return .claimed
    }

    func effect(orderID: String, effect: String) async throws -> String? {
        try check()
        return effects[orderID]?[effect]
    }

    func effects(orderID: String) async throws -> [String: String] {
        try check()
        return effects[orderID] ?? [:]
    }

    func claimLease(orderID: String, effect: String, for duration: Duration) async throws -> LeaseClaim {
        try check()
        if effects[orderID]?[effect] != nil { return .alreadyDone }
        return leases.insert(orderID + " " + effect).inserted ? .claimed : .heldByAnother
    }

    func releaseLease(orderID: String, effect: String) async throws {
        try check()
        leases.remove(orderID + " " + effect)
    }

    func recordEmailSent(orderID: String, effect: String, messageID: String, tally: Tally) async throws {
        try check()
        effects[orderID, default: [:]][effect] = messageID
        leases.remove(orderID + " " + effect)
        tallied[orderID, default: []].insert(tally.fact)
    }

    func recentOrders(email: String, orderID: String, at time: Date, within window: Duration) async throws -> Int {
        try check()
        return 1
    }

    func tally(orderID: String, _ tally: Tally) async throws -> Bool {
        try check()
        return tallied[orderID, default: []].insert(tally.fact).inserted
    }

    func isLeased(orderID: String, effect: String) -> Bool {
        leases.contains(orderID + " " + effect)
    }

    private func check() throws {
        if let outage { throw outage }
    }
}
