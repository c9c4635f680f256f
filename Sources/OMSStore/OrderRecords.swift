import Foundation
import OMSDomain

/// What the stages do with orders: `OrderStore`'s methods they call, so a
/// stage's decisions can run against an in-memory fake. See `OrderStore` for
/// what each step guarantees.
public protocol OrderRecords: Sendable {
    func create(orderID: String, channel: String, document: [UInt8], contentHash: String, at time: Date,
                stage: String) async throws -> Creation
    func transition(orderID: String, to status: OrderStatus, stage: String, note: String, fields: [String: String],
                    counting extra: [ReportCounter: Int], unless forbiddingEffect: String?,
                    at time: Date) async throws -> Transition
    @discardableResult
    func record(orderID: String, stage: String, note: String, at time: Date) async throws -> Bool
    func status(orderID: String) async throws -> (status: OrderStatus, version: Int)?
    func status(orderID: String, with names: [String]) async throws
        -> (stored: (status: OrderStatus, version: Int)?, fields: [String: String])
    func fields(orderID: String) async throws -> [String: String]
    func document(orderID: String) async throws -> [UInt8]?
    func history(orderID: String) async throws -> [HistoryEntry]

    func recordEffect(orderID: String, effect: String, value: String) async throws
    func claimEffect(orderID: String, effect: String, value: String,
                     while status: OrderStatus) async throws -> EffectClaim
    func effect(orderID: String, effect: String) async throws -> String?
    func effects(orderID: String) async throws -> [String: String]
    func claimLease(orderID: String, effect: String, for duration: Duration) async throws -> LeaseClaim
    func releaseLease(orderID: String, effect: String) async throws
    func recordEmailSent(orderID: String, effect: String, messageID: String, tally: Tally) async throws

    func recentOrders(email: String, orderID: String, at time: Date, within window: Duration) async throws -> Int
    @discardableResult
    func tally(orderID: String, _ tally: Tally) async throws -> Bool
}

extension OrderRecords {
    /// `transition` with no extra fields, counts or forbidding effect unless given.
    public func transition(orderID: String, to status: OrderStatus, stage: String, note: String,
                           fields: [String: String] = [:], at time: Date) async throws -> Transition {
        try await transition(orderID: orderID, to: status, stage: stage, note: note, fields: fields, counting: [:],
                             unless: nil, at: time)
    }

    /// For a handler that finds its move done already (a redelivery): asks
    /// for the move again, which changes nothing but tells the report of it
    /// once more, so that a count lost to a crash between the move and its
    /// tally is made good. The order's version; nil when it is not in
    /// `status` (it moved on, or is missing).
    public func repeatTransition(orderID: String, to status: OrderStatus, stage: String,
                                 at time: Date) async throws -> Int? {
        try await transition(orderID: orderID, to: status, stage: stage, note: "", at: time).version
    }

    /// One field of the order, nil when it has none: one HMGET, without the document.
    public func field(_ name: String, orderID: String) async throws -> String? {
        try await status(orderID: orderID, with: [name]).fields[name]
    }

    /// The version at which the order last moved to `status`, from its
    /// history; nil when it never did. A stage whose step a crash left
    /// unannounced, and which a later step overtook, publishes that event again.
    public func transitionVersion(orderID: String, to status: OrderStatus) async throws -> Int? {
        try await history(orderID: orderID).last { $0.isTransition && $0.to == status }?.version
    }
}

extension OrderStore: OrderRecords {}
