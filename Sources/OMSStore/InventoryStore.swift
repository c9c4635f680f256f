import Foundation
import OMSContract
import RedisClient

/// Stock counters, per-order holds, restocks and backorders in Redis.
///
/// Every change to a SKU's counters is one script on that SKU's keys, so
/// `available` and `reserved` never go negative and `reserved` is always the
/// sum of the holds. An order's reservation spans several SKUs, so it cannot
/// be one atomic step on a Redis Cluster: it is one per-SKU step per line,
/// each idempotent by order id, all sent in one round trip, and undone (the
/// lines the order holds released) when any line is short.
///
/// Reservations, releases, commits and restocks return once the SKU's master
/// has them on a replica, or its wait timed out (`replicatedPipeline`), so
/// that a failover soon after does not lose what a caller then acks.
public struct InventoryStore: Sendable {
    private let redis: any Redis

    public init(redis: any Redis) {
        self.redis = redis
    }

    // MARK: - Reservations

    /// Reserves every line for the order, or none. A redelivery of a
    /// reservation that succeeded changes nothing and succeeds again, even if
    /// the stock has run out since. When a line is short, whatever the order
    /// holds of the other lines is released, including holds left by an
    /// earlier attempt that stopped half-way.
    ///
    /// Lines of SKUs stocked per location are held at one location when one
    /// has every line: the first of `locations` (nearest first) that does.
    /// Each line is first reserved whole at the first location that has it;
    /// when that leaves the lines at different locations while one location
    /// (as the first attempt read the counters) has every line, they are
    /// released and reserved again there. When none has, the lines stay where
    /// the first attempt put them and the order ships in parcels. A line
    /// that no location has whole is short: a line is never split.
    ///
    /// The idempotency lasts as long as the holds: once committed or released,
    /// reserving again reserves again, so callers check the order's status first.
    public func reserve(orderID: String, lines: [(sku: String, quantity: Int)],
                        locations: [String] = []) async throws -> Reservation {
        let quantities = try Self.quantitiesBySKU(lines)
        let first = try await reserveOnce(orderID: orderID, quantities, at: locations)
        guard case .split(let lines, _) = first,
              let location = Self.locationWithEveryLine(lines, locations) else { return first.reservation }
        try await release(orderID: orderID, skus: quantities.map(\.sku))
        let together = try await reserveOnce(orderID: orderID, quantities, at: [location])
        if case .done(.reserved) = together { return together.reservation }
        // Taken meanwhile at that location: by preference again, in parcels if need be.
        return try await reserveOnce(orderID: orderID, quantities, at: locations).reservation
    }

    /// One line as the first attempt found it.
    struct LocatedLine {
        var sku: String
        var quantity: Int
        /// Available at each location asked for; empty when not stocked per location.
        var availableAt: [Int]
    }

    enum Attempt {
        case done(Reservation)
        /// Every line held, but not all at one location.
        case split([LocatedLine], Reservation)

        var reservation: Reservation {
            switch self {
            case .done(let reservation), .split(_, let reservation): reservation
            }
        }
    }

    /// The first of `locations` with every located line in stock, by the counters the attempt read.
    static func locationWithEveryLine(_ lines: [LocatedLine], _ locations: [String]) -> String? {
        let located = lines.filter { !$0.availableAt.isEmpty }
        return locations.indices.first { index in
            located.allSatisfy { $0.availableAt[index] >= $0.quantity }
        }.map { locations[$0] }
    }

    private func reserveOnce(orderID: String, _ quantities: [(sku: String, quantity: Int)],
                             at locations: [String]) async throws -> Attempt {
        let replies = try await redis.replicatedPipeline(quantities.map { sku, quantity in
            .evalSHA(StoreScripts.reserve, keys: [RedisKeys.stock(sku), RedisKeys.holds(sku), RedisKeys.heldAt(sku)],
                     arguments: [orderID, quantity] + locations)
        })
        var held: [String] = [], short: [String] = [], lowStock: [LowStock] = []
        var heldAt: [String: String] = [:], lines: [LocatedLine] = []
        var failure: StoreError?
        for (line, reply) in zip(quantities, replies) {
            do {
                let reservation = try LineReservation(reply: reply)
                lines.append(LocatedLine(sku: line.sku, quantity: line.quantity, availableAt: reservation.availableAt))
                guard reservation.isReserved else {
                    short.append(line.sku)
                    continue
                }
                held.append(line.sku)
                if let location = reservation.location { heldAt[line.sku] = location }
                if reservation.crossedReorderPoint, let reorderPoint = reservation.reorderPoint {
                    lowStock.append(LowStock(sku: line.sku, available: reservation.availableAfter,
                                             reorderPoint: reorderPoint))
                }
            } catch {
                failure = failure ?? error
            }
        }
        guard held.count == quantities.count else {
            FailPoint.crash(at: "reserve.before-compensation")
            try await release(orderID: orderID, skus: held)
            if let failure { throw failure }
            return .done(.short(skus: short))
        }
        let reservation = Reservation.reserved(lowStock: lowStock, heldAt: heldAt)
        return Set(heldAt.values).count > 1 ? .split(lines, reservation) : .done(reservation)
    }

    /// Gives back what the order holds of each SKU. Returns the quantity
    /// released per SKU: 0 where the order held nothing (already released).
    @discardableResult
    public func release(orderID: String, skus: [String]) async throws -> [String: Int] {
        try await runPerSKU(StoreScripts.release, orderID: orderID, skus: skus)
    }

    /// Takes what the order holds of each SKU out of `reserved` for good: the
    /// goods have left the building. Returns the quantity committed per SKU: 0
    /// where the order held nothing (already committed).
    @discardableResult
    public func commit(orderID: String, skus: [String]) async throws -> [String: Int] {
        try await runPerSKU(StoreScripts.commit, orderID: orderID, skus: skus)
    }

    /// Adds to available stock, at `location` for a SKU stocked per location
    /// (the first location given makes it one). With a `restockID`, a
    /// redelivered restock counts once; without one, every call counts.
    public func restock(sku: String, quantity: Int, restockID: String?, location: String? = nil) async throws -> Restock {
        guard quantity > 0 else {
            throw StoreError(.invalidArgument, operation: "restock", "the quantity of \(sku) must be positive")
        }
        let reply = try await redis.replicatedPipeline([
            Self.stockChange(sku: sku, quantity: quantity, restockID: restockID, location: location, mode: "add"),
        ])[0]
        return try Self.restock(reply)
    }

    /// How `restock.lua` refuses a change that names no location for a SKU stocked per location.
    static let stockedPerLocation = "is stocked per location"

    private static func restock(_ reply: RedisReply) throws(StoreError) -> Restock {
        let elements = try reply.elements("restock")
        guard elements.count == 2, let applied = elements[0].int, let available = elements[1].int else {
            throw reply.unexpected("restock")
        }
        return Restock(applied: applied == 1, available: available)
    }

    /// `restock.lua`, which adds to or sets a SKU's available stock (at a location or not).
    static func stockChange(sku: String, quantity: Int, restockID: String?, location: String?,
                            mode: String) -> RedisCommand {
        .evalSHA(StoreScripts.restock,
                 keys: [RedisKeys.stock(sku), RedisKeys.restocks(sku), RedisKeys.holds(sku), RedisKeys.heldAt(sku)],
                 arguments: [quantity, restockID ?? "", location ?? "", mode])
    }

    // MARK: - Levels

    /// Sets available stock, and the bin and reorder point when given (nil
    /// leaves them as they are). `reserved` and the holds are left alone.
    public func set(sku: String, available: Int, bin: String? = nil, reorderPoint: Int? = nil,
                    at location: String? = nil) async throws {
        try await set([StockSetting(sku: sku, available: available, bin: bin, reorderPoint: reorderPoint,
                                    location: location)])
    }

    /// `set` for many SKUs in one round trip. A setting that names no
    /// location for a SKU stocked per location is refused by Redis; the
    /// others are written.
    public func set(_ settings: [StockSetting]) async throws {
        for setting in settings where setting.available < 0 || (setting.reorderPoint ?? 0) < 0 {
            throw StoreError(.invalidArgument, operation: "stock set",
                             "available and the reorder point of \(setting.sku) must not be negative")
        }
        for reply in try await redis.pipeline(settings.flatMap(\.commands)) {
            if let message = reply.errorMessage, message.contains(Self.stockedPerLocation) {
                throw StoreError(.invalidArgument, operation: "stock set",
                                 String(message.drop { $0 != " " }.dropFirst()))
            }
            _ = try reply.checked("stock set")
        }
    }

    /// The bin location of each SKU that has one, in one round trip: what a
    /// picker needs, without reading the counters and every hold as `levels` does.
    public func locations(of skus: [String]) async throws -> [String: String] {
        let unique = Array(Set(skus)).sorted()
        let replies = try await redis.pipeline(unique.map { RedisCommand("HGET", RedisKeys.stock($0), "location") })
        var locations: [String: String] = [:]
        for (sku, reply) in zip(unique, replies) {
            if let location = reply.string { locations[sku] = location }
        }
        return locations
    }

    /// The SKU's counters and the sum of its holds (per location too), read
    /// together in one MULTI/EXEC (the keys share a slot) so that a
    /// reservation running at the same time cannot make them disagree. Nil
    /// for an unknown SKU.
    public func levels(sku: String) async throws -> StockLevels? {
        let replies = try await redis.pipeline([
            RedisCommand("MULTI"),
            RedisCommand("HGETALL", RedisKeys.stock(sku)),
            RedisCommand("HGETALL", RedisKeys.holds(sku)),
            RedisCommand("HGETALL", RedisKeys.heldAt(sku)),
            RedisCommand("EXEC"),
        ])
        let results = try replies[4].elements("stock levels")
        guard results.count == 3, let fields = try? Self.strings(results[0]), let holds = try? Self.strings(results[1]),
              let heldAt = try? Self.strings(results[2]) else {
            throw replies[4].unexpected("stock levels")
        }
        return StockLevels(stock: fields, holds: holds, heldAt: heldAt)
    }

    /// The counters of each SKU, in the order given (nil for an unknown
    /// one), without their holds: one pipeline per 500 SKUs, for listings.
    public func levels(skus: [String]) async throws -> [StockLevels?] {
        var levels: [StockLevels?] = []
        levels.reserveCapacity(skus.count)
        for start in stride(from: 0, to: skus.count, by: 500) {
            let chunk = skus[start..<min(start + 500, skus.count)]
            for reply in try await redis.pipeline(chunk.map { RedisCommand("HGETALL", RedisKeys.stock($0)) }) {
                levels.append(StockLevels(stock: try Self.strings(reply)))
            }
        }
        return levels
    }

    private static func strings(_ reply: RedisReply) throws(StoreError) -> [String: String] {
        var strings: [String: String] = [:]
        for (field, value) in try reply.fieldValues("stock levels") {
            guard let value = value.string else { throw reply.unexpected("stock levels") }
            strings[field] = value
        }
        return strings
    }

    /// Order id → quantity held, for every order holding the SKU.
    public func holds(sku: String) async throws -> [String: Int] {
        let reply = try await redis.pipeline([RedisCommand("HGETALL", RedisKeys.holds(sku))])[0]
        var holds: [String: Int] = [:]
        for (orderID, quantity) in try reply.fieldValues("holds") {
            guard let quantity = quantity.int else { throw reply.unexpected("holds") }
            holds[orderID] = quantity
        }
        return holds
    }

    /// In one step on the SKU: removes the stale holds still present
    /// (releasing or committing their units) and sets `reserved` to the sum
    /// of the holds that remain, whatever drift it had.
    public func repairHolds(sku: String, stale: [StaleHold]) async throws -> HoldRepair {
        let reply = try await redis.pipeline([
            .evalSHA(StoreScripts.repairHolds, keys: [RedisKeys.stock(sku), RedisKeys.holds(sku), RedisKeys.heldAt(sku)],
                     arguments: stale.flatMap { [$0.orderID, $0.action.rawValue] }),
        ])[0]
        let values = try reply.elements("repair holds").compactMap(\.int)
        guard values.count == 4 else { throw reply.unexpected("repair holds") }
        return HoldRepair(reservedBefore: values[0], reservedAfter: values[1], releasedToAvailable: values[2],
                          holdsRemoved: values[3])
    }

    // MARK: - Backorders

    /// Queues the order on each SKU's backorders, ranked by when it was
    /// received. A redelivery keeps the order's place.
    public func addBackorder(orderID: String, skus: [String], receivedAt: Date) async throws {
        let score = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded(.down))
        try await runPerSKUCommand("backorder add", skus: skus) { sku in
            RedisCommand("ZADD", RedisKeys.backorders(sku), "NX", score, orderID)
        }
    }

    /// The SKU's backordered order ids, oldest first, at most `limit`.
    public func backorders(sku: String, limit: Int) async throws -> [String] {
        guard limit > 0 else { return [] }
        let reply = try await redis.pipeline([RedisCommand("ZRANGE", RedisKeys.backorders(sku), 0, limit - 1)])[0]
        return try reply.elements("backorders").map { element throws(StoreError) in
            guard let orderID = element.string else { throw reply.unexpected("backorders") }
            return orderID
        }
    }

    public func removeBackorder(orderID: String, skus: [String]) async throws {
        try await runPerSKUCommand("backorder remove", skus: skus) { sku in
            RedisCommand("ZREM", RedisKeys.backorders(sku), orderID)
        }
    }

    // MARK: - Helpers

    /// One entry per SKU, in the order of first appearance, quantities summed:
    /// the reserve script holds a SKU once per order, so a second line of the
    /// same SKU would otherwise be taken for a redelivery of the first.
    static func quantitiesBySKU(_ lines: [(sku: String, quantity: Int)]) throws(StoreError)
        -> [(sku: String, quantity: Int)] {
        var merged: [(sku: String, quantity: Int)] = []
        var indexBySKU: [String: Int] = [:]
        for line in lines {
            guard line.quantity > 0 else {
                throw StoreError(.invalidArgument, operation: "reserve", "the quantity of \(line.sku) must be positive")
            }
            if let index = indexBySKU[line.sku] {
                merged[index].quantity += line.quantity
            } else {
                indexBySKU[line.sku] = merged.count
                merged.append(line)
            }
        }
        return merged
    }

    /// Runs a script taking (stock, holds, held-at) and the order id for each SKU, in one
    /// round trip, and returns each SKU's integer reply.
    private func runPerSKU(_ script: RedisScript, orderID: String, skus: [String]) async throws -> [String: Int] {
        let skus = Self.distinct(skus)
        let replies = try await redis.replicatedPipeline(skus.map { sku in
            .evalSHA(script, keys: [RedisKeys.stock(sku), RedisKeys.holds(sku), RedisKeys.heldAt(sku)],
                     arguments: [orderID])
        })
        var quantities: [String: Int] = [:]
        for (sku, reply) in zip(skus, replies) {
            guard let quantity = try reply.checked(script.name).int else { throw reply.unexpected(script.name) }
            quantities[sku] = quantity
        }
        return quantities
    }

    private func runPerSKUCommand(_ operation: String, skus: [String],
                                  _ command: (String) -> RedisCommand) async throws {
        for reply in try await redis.pipeline(Self.distinct(skus).map(command)) {
            _ = try reply.checked(operation)
        }
    }

    private static func distinct(_ skus: [String]) -> [String] {
        var seen: Set<String> = []
        return skus.filter { seen.insert($0).inserted }
    }
}
