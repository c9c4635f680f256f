import Foundation
import OMSDomain
import RedisClient

/// Orders in Redis: the stored document, the status with its version, the
/// history, and markers of the side effects done for each order.
///
/// Status changes go through one script that checks the state machine of
/// `OrderStatus.transitions` and writes the new status, version and history
/// entry in the same step, so of two workers racing on one order exactly one
/// moves it, and a redelivered message finds the move done (`.already`).
///
/// Effect markers (`oms:order:{ID}:effects`) make an effect that lies outside
/// Redis (a charge, a label, an email) happen once per order, in one of two ways:
/// - claim before (`claimEffect`): set the marker first, and do the effect
///   only when this call set it. At most once: a crash after the claim and
///   before the effect means it never happens. For effects that must never
///   repeat and have no idempotency key on the other side (an email).
/// - record after (`recordEffect`): do the effect with an idempotency key
///   derived from the order, then write the marker. At least once, and the
///   other side's key turns a repeat into the same result; the marker lets a
///   redelivery skip the call altogether. For a payment gateway or a carrier.
public struct OrderStore: Sendable {
    private let redis: RedisConnection

    /// Fields the scripts own, which `transition` may not set as extra fields.
    static let managedFields: Set<String> = [
        "status", "version", "updated_at", "created_at", "channel", "document", "content_hash",
    ]

    public init(redis: RedisConnection) {
        self.redis = redis
    }

    // MARK: - Status

    /// Stores a new order as received, with its first history entry. The same
    /// id again changes nothing: a duplicate when `contentHash` matches the
    /// stored one, a conflict when it does not.
    public func create(orderID: String, channel: String, document: [UInt8], contentHash: String, at time: Date,
                       stage: String) async throws -> Creation {
        let reply = try await redis.pipeline([
            .evalSHA(StoreScripts.create, keys: [RedisKeys.order(orderID), RedisKeys.history(orderID)],
                     arguments: [OrderStatus.initial.rawValue, channel, document, contentHash, RFC3339.format(time),
                                 stage]),
        ])[0]
        return try Creation(reply: reply)
    }

    /// Moves the order to `status` when the state machine allows it from its
    /// current status, setting `fields` on the order hash too (reason,
    /// tracking_number…) and appending the history entry.
    public func transition(orderID: String, to status: OrderStatus, stage: String, note: String,
                           fields: [String: String] = [:], at time: Date) async throws -> Transition {
        let arguments = try Self.transitionArguments(to: status, stage: stage, note: note, fields: fields, at: time)
        let reply = try await redis.pipeline([
            .evalSHA(StoreScripts.transition, keys: [RedisKeys.order(orderID), RedisKeys.history(orderID)],
                     arguments: arguments),
        ])[0]
        return try Transition(reply: reply)
    }

    /// Appends a history entry that is not a transition ("cancel refused:
    /// already shipped"): status and version stay as they are, and the entry
    /// says so (`HistoryEntry.isTransition` false). False when the order is missing.
    @discardableResult
    public func record(orderID: String, stage: String, note: String, at time: Date) async throws -> Bool {
        let reply = try await redis.pipeline([
            .evalSHA(StoreScripts.record, keys: [RedisKeys.order(orderID), RedisKeys.history(orderID)],
                     arguments: [RFC3339.format(time), stage, note]),
        ])[0]
        let elements = try reply.elements("record")
        if elements.isEmpty { return false }
        guard elements.count == 2, Self.statusAndVersion(elements[0], elements[1]) != nil else {
            throw reply.unexpected("record")
        }
        return true
    }

    /// The order's status and version; nil when there is no such order.
    public func status(orderID: String) async throws -> (status: OrderStatus, version: Int)? {
        let reply = try await redis.pipeline([RedisCommand("HMGET", RedisKeys.order(orderID), "status", "version")])[0]
        let elements = try reply.elements("status")
        guard elements.count == 2 else { throw reply.unexpected("status") }
        if elements[0].isNull { return nil }
        guard let state = Self.statusAndVersion(elements[0], elements[1]) else { throw reply.unexpected("status") }
        return state
    }

    /// Every field of the order hash (the document included, as text); empty
    /// when there is no such order.
    public func fields(orderID: String) async throws -> [String: String] {
        let reply = try await redis.pipeline([RedisCommand("HGETALL", RedisKeys.order(orderID))])[0]
        var fields: [String: String] = [:]
        for (field, value) in try reply.fieldValues("order fields") {
            fields[field] = String(decoding: value.bytes ?? [], as: UTF8.self)
        }
        return fields
    }

    /// The order document as received; nil when there is no such order.
    public func document(orderID: String) async throws -> [UInt8]? {
        let reply = try await redis.pipeline([RedisCommand("HGET", RedisKeys.order(orderID), "document")])[0]
        return try reply.checked("order document").bytes
    }

    /// Every history entry, oldest first; empty when there is no such order.
    public func history(orderID: String) async throws -> [HistoryEntry] {
        let reply = try await redis.pipeline([RedisCommand("LRANGE", RedisKeys.history(orderID), 0, -1)])[0]
        let decoder = JSONDecoder()
        return try reply.elements("history").map { entry in
            guard let bytes = entry.bytes else { throw reply.unexpected("history") }
            return try decoder.decode(HistoryEntry.self, from: Data(bytes))
        }
    }

    // MARK: - Effects

    /// Claim before: sets the marker only if it is not set. True when this
    /// call set it, and only then may the caller do the effect.
    public func claimEffect(orderID: String, effect: String, value: String) async throws -> Bool {
        let reply = try await redis.pipeline([RedisCommand("HSETNX", RedisKeys.effects(orderID), effect, value)])[0]
        guard let set = try reply.checked("claim effect").int else { throw reply.unexpected("claim effect") }
        return set == 1
    }

    /// Record after: writes the marker once the effect succeeded; a repeat overwrites it.
    public func recordEffect(orderID: String, effect: String, value: String) async throws {
        _ = try await redis.pipeline([RedisCommand("HSET", RedisKeys.effects(orderID), effect, value)])[0]
            .checked("record effect")
    }

    /// The marker's value; nil when the effect is neither claimed nor recorded.
    /// Takes a short lease on doing an effect, so that concurrent deliveries
    /// of one message do not do it together: false while another holds it.
    /// The lease ends by `releaseLease` or after `duration` (a crashed holder).
    public func claimLease(orderID: String, effect: String, for duration: Duration) async throws -> Bool {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        let reply = try await redis.send(RedisCommand("SET", RedisKeys.lease(orderID, effect), "held", "NX", "PX",
                                                      Int(milliseconds)))
        return reply.string == "OK"
    }

    public func releaseLease(orderID: String, effect: String) async throws {
        _ = try await redis.send(RedisCommand("DEL", RedisKeys.lease(orderID, effect)))
    }

    public func effect(orderID: String, effect: String) async throws -> String? {
        let reply = try await redis.pipeline([RedisCommand("HGET", RedisKeys.effects(orderID), effect)])[0]
        return try reply.checked("effect").string
    }

    // MARK: - Encoding

    /// ARGV of `transition.lua`: status, allowed predecessors (space-separated,
    /// from the state machine), time, stage, note, then the extra fields as
    /// field, value pairs sorted by field.
    static func transitionArguments(to status: OrderStatus, stage: String, note: String, fields: [String: String],
                                    at time: Date) throws(StoreError) -> [String] {
        if let field = fields.keys.sorted().first(where: managedFields.contains) {
            throw StoreError(.invalidArgument, operation: "transition",
                             "'\(field)' is kept by the store and cannot be set as an extra field")
        }
        let predecessors = status.allowedPredecessors.map(\.rawValue).joined(separator: " ")
        return [status.rawValue, predecessors, RFC3339.format(time), stage, note]
            + fields.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    }

    /// A status and a version as the scripts return them.
    static func statusAndVersion(_ status: RedisReply, _ version: RedisReply)
        -> (status: OrderStatus, version: Int)? {
        guard let status = status.string.flatMap(OrderStatus.init(rawValue:)), let version = version.int else {
            return nil
        }
        return (status, version)
    }
}
