import CLISupport
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Synchronization

/// Publish and receipt times of the bench's orders, shared by the
/// publisher, the listener and the loop that waits.
final class BenchLedger: Sendable {
    private struct State {
        var sentAt: [Date?]
        var shippedAt: [String: Date] = [:]
        var published = 0
    }

    private let state: Mutex<State>

    init(orders: Int) {
        state = Mutex(State(sentAt: Array(repeating: nil, count: orders + 1)))
    }

    func sent(_ number: Int, at time: Date) { state.withLock { $0.sentAt[number] = time } }
    func published(_ count: Int) { state.withLock { $0.published += count } }
    func shipped(_ orderID: String, at time: Date) { state.withLock { $0.shippedAt[orderID] = $0.shippedAt[orderID] ?? time } }

    var publishedCount: Int { state.withLock { $0.published } }
    var shippedCount: Int { state.withLock { $0.shippedAt.count } }

    func sentAt(_ number: Int) -> Date? { state.withLock { $0.sentAt[number] } }
    func shippedAt(_ orderID: String) -> Date? { state.withLock { $0.shippedAt[orderID] } }
}

extension BenchRun {
    static let stageTransitions: [(stage: String, status: OrderStatus)] = [
        ("capture", .confirmed), ("payment", .paid), ("pick", .picked), ("ship", .shipped),
    ]

    /// Latencies end to end (publish → order.shipped received) and per stage
    /// (publish or the previous transition → the stage's transition, from the history).
    func collect(ids: [String], ledger: BenchLedger, redis: any Redis) async throws -> BenchResult {
        var endToEnd = LatencyFigures()
        var stages = Self.stageTransitions.map { _ in LatencyFigures() }
        let orders = OrderStore(redis: redis)
        var first = Date.distantFuture, last = Date.distantPast
        var histories: [[HistoryEntry]] = []
        for chunk in ids.chunked(1_000) {
            histories += try await orders.histories(orderIDs: chunk)
        }
        for (index, (id, history)) in zip(ids, histories).enumerated() {
            guard let sent = ledger.sentAt(index + 1) else { continue }
            first = min(first, sent)
            if let shipped = ledger.shippedAt(id) {
                last = max(last, shipped)
                endToEnd.record(microseconds: Self.microseconds(from: sent, to: shipped))
            }
            var previous = sent
            for (position, transition) in Self.stageTransitions.enumerated() {
                guard let entry = history.first(where: { $0.to == transition.status }) else { break }
                stages[position].record(microseconds: Self.microseconds(from: previous, to: entry.time))
                previous = entry.time
            }
        }
        return BenchResult(orders: ids.count, copies: copies, elapsedSeconds: last.timeIntervalSince(first),
                           endToEnd: endToEnd,
                           stages: zip(Self.stageTransitions, stages).map { ($0.stage, $1) },
                           cpuSeconds: [:], peakRSS: [:], redisBytesPerOrder: 0,
                           checks: BenchChecks(lost: 0, duplicated: 0, oversold: 0, emailsMissing: 0))
    }

    static func microseconds(from start: Date, to end: Date) -> Int64 {
        Int64((end.timeIntervalSince(start) * 1_000_000).rounded())
    }

    /// Nothing lost (every order shipped), nothing twice (version 5: four
    /// transitions after received), no stock sold twice (each SKU's counters
    /// equal the arithmetic), an email recorded for each emailed event (the
    /// marker is written once per order and event, so there is one at most).
    func check(ids: [String], stock: (skus: [String], units: Int), redis: any Redis) async throws -> BenchChecks {
        var lost = 0, duplicated = 0
        for chunk in ids.chunked(1_000) {
            let replies = try await redis.pipeline(chunk.map { RedisCommand("HMGET", RedisKeys.order($0), "status", "version") })
            for reply in replies {
                let fields = reply.array ?? []
                if fields.first?.string != OrderStatus.shipped.rawValue { lost += 1 }
                if let version = fields.last?.string.flatMap(Int.init), version != 5 { duplicated += 1 }
            }
        }
        var sold = [String: Int]()
        for number in 1...ids.count { sold[stock.skus[number % stock.skus.count], default: 0] += 1 }
        var oversold = 0
        for chunk in stock.skus.chunked(1_000) {
            let replies = try await redis.pipeline(chunk.map {
                RedisCommand("HMGET", RedisKeys.stock($0), "available", "reserved")
            })
            for (sku, reply) in zip(chunk, replies) {
                let counters = (reply.array ?? []).map(\.int)
                // The arithmetic is positive (the bench stocks more than it sells), so
                // equal to it is never negative; a missing counter differs from it too.
                let available = counters.first ?? nil, reserved = counters.last ?? nil
                if available != stock.units - (sold[sku] ?? 0) || (reserved ?? 0) != 0 { oversold += 1 }
            }
        }
        return BenchChecks(lost: lost, duplicated: duplicated, oversold: oversold,
                           emailsMissing: try await ordersMissingEmails(ids, redis: redis).count)
    }
}
