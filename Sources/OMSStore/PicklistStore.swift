import Foundation
import OMSContract
import OMSDomain
import RedisClient

/// Batch picking in Redis, per warehouse location: orders arriving within a
/// window share a picklist, each order on exactly one whatever is
/// redelivered; a picklist closes when its window has passed (or it is full)
/// and is then written out once.
public struct PicklistStore: Sendable {
    private let redis: any Redis
    public let location: String

    public struct Line: Sendable, Hashable, Codable {
        public var sku: String
        public var quantity: Int

        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// One order's lines on a picklist.
    public struct Assignment: Sendable, Hashable, Codable {
        public var orderID: String
        public var lines: [Line]

        public init(orderID: String, lines: [Line]) {
            self.orderID = orderID
            self.lines = lines
        }

        enum CodingKeys: String, CodingKey {
            case orderID = "order_id"
            case lines
        }
    }

    public init(redis: any Redis, location: String) {
        self.redis = redis
        self.location = location
    }

    /// Puts the order on the open picklist (or the one it is already on) and returns its id.
    public func assign(orderID: String, lines: [Line], at time: Date, window: Duration,
                       mostOrders: Int) async throws -> String {
        let assignment = Assignment(orderID: orderID, lines: lines)
        let json = try JSONEncoder().encode(assignment)
        let reply = try await redis.evalSHA(
            StoreScripts.assignPicklist,
            keys: [RedisKeys.picklists(location), RedisKeys.picklistOrders(location), RedisKeys.closedPicklists(location)],
            arguments: [orderID, milliseconds(time), window.milliseconds, mostOrders, Array(json),
                        RedisKeys.picklistPrefix(location), location])
        guard let id = reply.string else { throw StoreError(.unexpectedReply, operation: "assign picklist", "a reply that is not a picklist id") }
        return id
    }

    /// Takes a cancelled order's lines off its picklist, once; the picklist it
    /// was on, or nil when it is on none or was taken off before.
    @discardableResult
    public func void(orderID: String) async throws -> String? {
        try await redis.evalSHA(StoreScripts.voidPicklist,
                                keys: [RedisKeys.picklistOrders(location), RedisKeys.voidedPicklistOrders(location)],
                                arguments: [orderID, RedisKeys.picklistPrefix(location)]).string
    }

    /// Closes the open picklist if its window has passed.
    public func closeIfDue(at time: Date, window: Duration) async throws {
        _ = try await redis.evalSHA(StoreScripts.closePicklist,
                                    keys: [RedisKeys.picklists(location), RedisKeys.closedPicklists(location)],
                                    arguments: [milliseconds(time), window.milliseconds])
    }

    /// Closed picklists not yet written out, oldest first.
    public func unwritten() async throws -> [String] {
        let replies = try await redis.pipeline([
            RedisCommand("LRANGE", RedisKeys.closedPicklists(location), 0, -1),
            RedisCommand("SMEMBERS", RedisKeys.writtenPicklists(location)),
        ])
        let closed = replies[0].array?.compactMap(\.string) ?? []
        let written = Set(replies[1].array?.compactMap(\.string) ?? [])
        return closed.filter { !written.contains($0) }
    }

    public func markWritten(_ id: String) async throws {
        _ = try await redis.send(RedisCommand("SADD", RedisKeys.writtenPicklists(location), id))
    }

    /// What is on a picklist, one assignment per order, in the order they came.
    public func assignments(on id: String) async throws -> [Assignment] {
        let reply = try await redis.send(RedisCommand("LRANGE", RedisKeys.picklist(location, id), 0, -1))
        return try (reply.array ?? []).compactMap(\.bytes).map {
            try JSONDecoder().decode(Assignment.self, from: Data($0))
        }
    }

    /// The picklist an order is on.
    public func picklist(of orderID: String) async throws -> String? {
        try await redis.send(RedisCommand("HGET", RedisKeys.picklistOrders(location), orderID)).string
    }

    private func milliseconds(_ time: Date) -> Int {
        Int((time.timeIntervalSince1970 * 1000).rounded(.down))
    }
}

extension Duration {
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
