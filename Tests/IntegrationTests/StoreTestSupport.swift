import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient

/// Unique SKUs and order ids for store tests, and the cleanup of their keys.
enum StoreTestSupport {
    /// A fixed clock start, so that stored times are predictable.
    static let start = Date(timeIntervalSince1970: 1_795_341_600)

    static func sku() -> String { RedisTestSupport.uniqueKey("sku") }

    static func orderID() -> String { RedisTestSupport.uniqueKey("order") }

    static func deleteStock(_ skus: [String], on redis: RedisConnection) async throws {
        try await redis.send(RedisCommand("DEL", arguments: skus.flatMap {
            [RedisKeys.stock($0), RedisKeys.holds($0), RedisKeys.heldAt($0), RedisKeys.restocks($0), RedisKeys.backorders($0)]
        }))
    }

    static func deleteOrders(_ ids: [String], on redis: RedisConnection) async throws {
        try await redis.send(RedisCommand("DEL", arguments: ids.flatMap {
            [RedisKeys.order($0), RedisKeys.history($0), RedisKeys.effects($0), RedisKeys.tallied($0)]
        }))
    }

    /// The statuses a new order goes through to reach `status`, by the
    /// fewest transitions of the state machine; empty for `received`.
    static func path(to status: OrderStatus) -> [OrderStatus] {
        var previous: [OrderStatus: OrderStatus] = [:]
        var queue = [OrderStatus.initial]
        while !queue.isEmpty {
            let current = queue.removeFirst()
            for next in OrderStatus.transitions[current, default: []].sorted(by: { $0.rawValue < $1.rawValue })
            where next != .initial && previous[next] == nil {
                previous[next] = current
                queue.append(next)
            }
        }
        var path: [OrderStatus] = []
        var current = status
        while current != .initial, let before = previous[current] {
            path.insert(current, at: 0)
            current = before
        }
        return path
    }
}
