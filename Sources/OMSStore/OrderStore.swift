import Foundation
import OMSContract
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
/// Redis (a charge, a label, an email) happen once per order: do the effect,
/// then write the marker (`recordEffect`), and a redelivery that finds the
/// marker skips the effect. A payment gateway or a carrier is called with an
/// idempotency key derived from the order, so a repeat after a crash before
/// the marker gives the same result; an email, which has no such key, is sent
/// under a lease (`claimLease`) so that copies delivered together do not both
/// send it.
///
/// Retention: when an order enters a settled status (`OrderStatus.isSettled`)
/// the transition script sets its keys (hash, history, effects) to expire
/// after `retention`, and a later move (delivered → return_requested) lifts
/// the expiry again; an effect marker written on a settled order expires with
/// it. The report's counters (`tally`) outlive the orders they count.
///
/// Failover: creation, transitions and effect markers return once the
/// order's master has them on a replica, or its wait timed out
/// (`replicatedPipeline`): a caller acks its message only after them.
///
/// Counting: every status an order enters, and every email sent, is told to
/// `tally` after the step that made it true, in a second step: the counters
/// share one hash tag of their own, and a script may touch one slot only.
public struct OrderStore: Sendable {
    private let redis: any Redis
    /// How long a settled order's keys stay; `.keep` keeps them.
    public let retention: Retention

    /// Fields the scripts own, which `transition` may not set as extra fields.
    static let managedFields: Set<String> = [
        "status", "version", "updated_at", "created_at", "channel", "document", "content_hash",
    ]

    public init(redis: any Redis, retention: Retention = .standard) {
        self.redis = redis
        self.retention = retention
    }

    // MARK: - Status

    /// Stores a new order as received, with its first history entry. The same
    /// id again changes nothing: a duplicate when `contentHash` matches the
    /// stored one, a conflict when it does not. A new order and a duplicate are
    /// counted as received (once).
    public func create(orderID: String, channel: String, document: [UInt8], contentHash: String, at time: Date,
                       stage: String) async throws -> Creation {
        let reply = try await redis.replicatedPipeline([
            .evalSHA(StoreScripts.create, keys: [RedisKeys.order(orderID), RedisKeys.history(orderID)],
                     arguments: [OrderStatus.initial.rawValue, channel, document, contentHash, RFC3339.format(time),
                                 stage]),
        ])[0]
        let creation = try Creation(reply: reply)
        if case .conflict = creation { return creation }
        let entry = StatusEntry(status: .initial, from: nil, channel: channel, createdAt: time, enteredAt: time)
        try await tally(orderID: orderID, .entering(entry))
        return creation
    }

    /// Moves the order to `status` when the state machine allows it from its
    /// current status, setting `fields` on the order hash too (reason,
    /// tracking_number…) and appending the history entry. When the order is
    /// then in `status` (moved, or already there) the status is counted for
    /// the report, once, with `counting` added (a refund's amount).
    /// `unless`: an effect marker that, once set, refuses the move (as from
    /// the status it is in).
    public func transition(orderID: String, to status: OrderStatus, stage: String, note: String,
                           fields: [String: String] = [:], counting extra: [ReportCounter: Int] = [:],
                           unless forbiddingEffect: String? = nil, at time: Date) async throws -> Transition {
        let arguments = try Self.transitionArguments(to: status, stage: stage, note: note, fields: fields,
                                                     timeToLive: retention.timeToLive(afterEntering: status),
                                                     unless: forbiddingEffect, at: time)
        let reply = try await redis.replicatedPipeline([
            .evalSHA(StoreScripts.transition,
                     keys: [RedisKeys.order(orderID), RedisKeys.history(orderID), RedisKeys.effects(orderID)],
                     arguments: arguments),
        ])[0]
        let result = try TransitionReply(reply: reply, to: status)
        FailPoint.crash(at: "transition.before-tally")
        if let entry = result.entry { try await tally(orderID: orderID, .entering(entry, extra: extra)) }
        return result.outcome
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
        try await statuses(orderIDs: [orderID])[0]
    }

    /// The order's status and version (nil when there is no such order) and
    /// those of the fields `names` it has, in one HMGET: what a stage reads
    /// before it acts, without the document.
    public func status(orderID: String, with names: [String]) async throws
        -> (stored: (status: OrderStatus, version: Int)?, fields: [String: String]) {
        let reply = try await redis.pipeline([
            RedisCommand("HMGET", arguments: [RedisKeys.order(orderID), "status", "version"] + names),
        ])[0]
        let elements = try reply.elements("status")
        guard elements.count == names.count + 2 else { throw reply.unexpected("status") }
        var fields: [String: String] = [:]
        for (name, value) in zip(names, elements.dropFirst(2)) { fields[name] = value.string }
        if elements[0].isNull { return (nil, fields) }
        guard let state = Self.statusAndVersion(elements[0], elements[1]) else { throw reply.unexpected("status") }
        return (state, fields)
    }

    /// Each order's status and version, in one pipeline; nil for an order that does not exist.
    public func statuses(orderIDs: [String]) async throws -> [(status: OrderStatus, version: Int)?] {
        let replies = try await redis.pipeline(orderIDs.map {
            RedisCommand("HMGET", RedisKeys.order($0), "status", "version")
        })
        return try replies.map { reply in
            let elements = try reply.elements("status")
            guard elements.count == 2 else { throw reply.unexpected("status") }
            if elements[0].isNull { return nil }
            guard let state = Self.statusAndVersion(elements[0], elements[1]) else { throw reply.unexpected("status") }
            return state
        }
    }

    /// Every field of the order hash (the document included, as text); empty
    /// when there is no such order.
    public func fields(orderID: String) async throws -> [String: String] {
        try await hash(RedisKeys.order(orderID), "order fields")
    }

    private func hash(_ key: String, _ operation: String) async throws -> [String: String] {
        let reply = try await redis.pipeline([RedisCommand("HGETALL", key)])[0]
        var fields: [String: String] = [:]
        for (field, value) in try reply.fieldValues(operation) {
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
        try await histories(orderIDs: [orderID])[0]
    }

    /// The histories of many orders in one round trip, in the order of `orderIDs`.
    public func histories(orderIDs: [String]) async throws -> [[HistoryEntry]] {
        let replies = try await redis.pipeline(orderIDs.map { RedisCommand("LRANGE", RedisKeys.history($0), 0, -1) })
        return try replies.map(Self.historyEntries)
    }

    private static func historyEntries(_ reply: RedisReply) throws -> [HistoryEntry] {
        let decoder = JSONDecoder()
        return try reply.elements("history").map { entry in
            guard let bytes = entry.bytes else { throw reply.unexpected("history") }
            return try decoder.decode(HistoryEntry.self, from: Data(bytes))
        }
    }

    // MARK: - Effects

    /// Writes the marker once the effect succeeded; a repeat overwrites it.
    public func recordEffect(orderID: String, effect: String, value: String) async throws {
        let marker = effectCommand(orderID: orderID, effect: effect, value: value)
        let reply = try await redis.replicatedPipeline([marker])[0]
        _ = try reply.checked("record effect")
    }

    /// Writes an effect marker only while the order is in `status`, in one
    /// step: a claim that a transition with `unless: effect` then respects.
    public func claimEffect(orderID: String, effect: String, value: String,
                            while status: OrderStatus) async throws -> EffectClaim {
        let claim = effectCommand(orderID: orderID, effect: effect, value: value, requiring: status)
        let reply = try await redis.replicatedPipeline([claim])[0]
        let checked = try reply.checked("claim effect")
        if checked.int == 1 { return .claimed }
        guard let parts = checked.array, parts.count == 2, parts[0].string == "refused" else {
            throw reply.unexpected("claim effect")
        }
        return .refused(current: OrderStatus(rawValue: parts[1].string ?? ""))
    }

    /// `effect.lua`, which lets a marker on a settled order expire with it.
    private func effectCommand(orderID: String, effect: String, value: String,
                               requiring status: OrderStatus? = nil) -> RedisCommand {
        .evalSHA(StoreScripts.effect, keys: [RedisKeys.effects(orderID), RedisKeys.order(orderID)],
                 arguments: [effect, value, status?.rawValue ?? ""])
    }

    /// Takes a short lease on doing an effect not yet done, so that
    /// concurrent deliveries of one message do not do it together. The
    /// marker is read after the lease is taken, in the same round trip: a
    /// holder writes its marker before it lets go of the lease (see
    /// `recordEmailSent`), so a lease taken after that finds the marker. The
    /// lease ends by `releaseLease` or after `duration` (a crashed holder).
    public func claimLease(orderID: String, effect: String, for duration: Duration) async throws -> LeaseClaim {
        let lease = RedisKeys.lease(orderID, effect)
        let replies = try await redis.pipeline([
            RedisCommand("SET", lease, "held", "NX", "PX", duration.milliseconds),
            RedisCommand("HGET", RedisKeys.effects(orderID), effect),
        ])
        let claimed = try replies[0].checked("claim lease").string == "OK"
        guard try replies[1].checked("effect").string == nil else {
            if claimed { try await releaseLease(orderID: orderID, effect: effect) }
            return .alreadyDone
        }
        return claimed ? .claimed : .heldByAnother
    }

    public func releaseLease(orderID: String, effect: String) async throws {
        _ = try await redis.send(RedisCommand("DEL", RedisKeys.lease(orderID, effect)))
    }

    /// After the mail server took an email: its marker, the lease released
    /// and the report's count, in one round trip.
    public func recordEmailSent(orderID: String, effect: String, messageID: String, tally: Tally) async throws {
        let replies = try await redis.replicatedPipeline([
            effectCommand(orderID: orderID, effect: effect, value: messageID),
            RedisCommand("DEL", RedisKeys.lease(orderID, effect)),
            tallyCommand(orderID: orderID, tally),
        ])
        for (reply, operation) in zip(replies, ["record effect", "release lease", "tally"]) {
            _ = try reply.checked(operation)
        }
    }

    /// Every effect marker of the order (label, charge, emails sent…) with its value.
    public func effects(orderID: String) async throws -> [String: String] {
        try await hash(RedisKeys.effects(orderID), "effects")
    }

    /// The marker's value; nil when the effect is neither claimed nor recorded.
    public func effect(orderID: String, effect: String) async throws -> String? {
        let reply = try await redis.pipeline([RedisCommand("HGET", RedisKeys.effects(orderID), effect)])[0]
        return try reply.checked("effect").string
    }

    /// How many orders the email placed within `window` up to `time`, this
    /// one included and counted once however often it is asked.
    public func recentOrders(email: String, orderID: String, at time: Date, within window: Duration) async throws -> Int {
        let reply = try await redis.evalSHA(StoreScripts.recentOrders, keys: [RedisKeys.customerOrders(email: email)],
                                            arguments: [orderID, Int((time.timeIntervalSince1970 * 1000).rounded(.down)),
                                                        Int(window.components.seconds * 1000)])
        guard let count = try reply.checked("recent orders").int else { throw reply.unexpected("recent orders") }
        return count
    }

    // MARK: - Report

    /// Counts a fact about an order for `oms report`, once per (order, fact):
    /// true when this call counted it, false when it was counted before. The
    /// order's marker of counted facts expires with the retention.
    @discardableResult
    public func tally(orderID: String, _ tally: Tally) async throws -> Bool {
        let reply = try await redis.pipeline([tallyCommand(orderID: orderID, tally)])[0]
        guard let counted = try reply.checked("tally").int else { throw reply.unexpected("tally") }
        return counted == 1
    }

    private func tallyCommand(orderID: String, _ tally: Tally) -> RedisCommand {
        .evalSHA(StoreScripts.tally, keys: [RedisKeys.report, RedisKeys.tallied(orderID)],
                 arguments: tally.arguments(markerTTL: retention.seconds))
    }

    /// The report's counters; fields this version does not know are left out.
    public func reportCounters() async throws -> [ReportCounter: Int] {
        let reply = try await redis.pipeline([RedisCommand("HGETALL", RedisKeys.report)])[0]
        var counters: [ReportCounter: Int] = [:]
        for (field, value) in try reply.fieldValues("report counters") {
            guard let counter = ReportCounter(field: field) else { continue }
            guard let count = value.int else { throw reply.unexpected("report counters") }
            counters[counter, default: 0] += count
        }
        return counters
    }

    // MARK: - Encoding

    /// ARGV of `transition.lua`: status, allowed predecessors (space-separated,
    /// from the state machine), time, stage, note, the keys' time to live in
    /// seconds (0: none), then the extra fields as field, value pairs sorted by field.
    static func transitionArguments(to status: OrderStatus, stage: String, note: String, fields: [String: String],
                                    timeToLive: Int, unless forbiddingEffect: String? = nil,
                                    at time: Date) throws(StoreError) -> [String] {
        if let field = fields.keys.sorted().first(where: managedFields.contains) {
            throw StoreError(.invalidArgument, operation: "transition",
                             "'\(field)' is kept by the store and cannot be set as an extra field")
        }
        let predecessors = status.allowedPredecessors.map(\.rawValue).joined(separator: " ")
        return [status.rawValue, predecessors, RFC3339.format(time), stage, note, "\(timeToLive)",
                forbiddingEffect ?? ""]
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
