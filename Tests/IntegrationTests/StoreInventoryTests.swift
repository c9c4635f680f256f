import Foundation
import OMSContract
import OMSStore
import RedisClient
import Testing

@Suite("inventory store against the local Redis")
struct StoreInventoryTests {
    @Test("reserving with ample stock moves exactly the quantity from available to reserved, and holds it")
    func reserveMovesExactly() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: sku, available: 10, bin: "A-01-3")

        #expect(try await store.reserve(orderID: order, lines: [(sku, 3)]) == .reserved(lowStock: []))
        #expect(try await store.levels(sku: sku)
            == StockLevels(available: 7, reserved: 3, bin: "A-01-3", reorderPoint: nil, held: 3, holds: [order: 3]))
        #expect(try await store.holds(sku: sku) == [order: 3])
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("reserving the same order again changes nothing, and still succeeds after the stock ran out")
    func reserveIsIdempotent() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: sku, available: 5)
        #expect(try await store.reserve(orderID: order, lines: [(sku, 2)]) == .reserved(lowStock: []))
        #expect(try await store.reserve(orderID: order, lines: [(sku, 2)]) == .reserved(lowStock: []))
        #expect(try await store.levels(sku: sku)?.available == 3)
        #expect(try await store.levels(sku: sku)?.reserved == 2)

        try await store.set(sku: sku, available: 0)
        #expect(try await store.reserve(orderID: order, lines: [(sku, 2)]) == .reserved(lowStock: []))
        #expect(try await store.levels(sku: sku)
            == StockLevels(available: 0, reserved: 2, bin: nil, reorderPoint: nil, held: 2, holds: [order: 2]))
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("a 2-line order whose second SKU is short reserves nothing")
    func shortLineReservesNothing() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let ample = StoreTestSupport.sku(), scarce = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: ample, available: 10)
        try await store.set(sku: scarce, available: 1)

        #expect(try await store.reserve(orderID: order, lines: [(ample, 2), (scarce, 5)]) == .short(skus: [scarce]))
        #expect(try await store.levels(sku: ample)
            == StockLevels(available: 10, reserved: 0, bin: nil, reorderPoint: nil, held: 0))
        #expect(try await store.levels(sku: scarce)
            == StockLevels(available: 1, reserved: 0, bin: nil, reorderPoint: nil, held: 0))
        #expect(try await store.holds(sku: ample).isEmpty)
        try await StoreTestSupport.deleteStock([ample, scarce], on: redis)
        await redis.close()
    }

    @Test("an attempt that stopped after reserving its first line is undone when the retry finds a line short")
    func crashedAttemptReleased() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let first = StoreTestSupport.sku(), second = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: first, available: 10)
        try await store.set(sku: second, available: 1)
        // The earlier attempt: its first line's step ran, then the worker died.
        #expect(try await store.reserve(orderID: order, lines: [(first, 2)]) == .reserved(lowStock: []))
        #expect(try await store.holds(sku: first) == [order: 2])

        #expect(try await store.reserve(orderID: order, lines: [(first, 2), (second, 5)]) == .short(skus: [second]))
        #expect(try await store.levels(sku: first)
            == StockLevels(available: 10, reserved: 0, bin: nil, reorderPoint: nil, held: 0))
        #expect(try await store.holds(sku: first).isEmpty)
        #expect(try await store.levels(sku: second)?.available == 1)
        try await StoreTestSupport.deleteStock([first, second], on: redis)
        await redis.close()
    }

    @Test("an unknown SKU is short, and has no levels")
    func unknownSKU() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku()
        #expect(try await store.reserve(orderID: StoreTestSupport.orderID(), lines: [(sku, 1)]) == .short(skus: [sku]))
        #expect(try await store.levels(sku: sku) == nil)
        await redis.close()
    }

    @Test("many SKUs are set in one call; a negative setting refuses the whole call")
    func setMany() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let (first, second) = (StoreTestSupport.sku(), StoreTestSupport.sku())
        try await store.set([StockSetting(sku: first, available: 4, bin: "B-02-01", reorderPoint: 1),
                             StockSetting(sku: second, available: 9)])
        #expect(try await store.levels(sku: first)
            == StockLevels(available: 4, reserved: 0, bin: "B-02-01", reorderPoint: 1, held: 0))
        #expect(try await store.levels(sku: second)?.available == 9)
        let refused = StockSetting(sku: StoreTestSupport.sku(), available: -1)
        await #expect(throws: StoreError.self) {
            try await store.set([StockSetting(sku: first, available: 100), refused])
        }
        #expect(try await store.levels(sku: first)?.available == 4, "nothing written")
        await redis.close()
    }

    @Test("release gives back exactly what the order holds, once")
    func releaseIsExactAndIdempotent() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), order = StoreTestSupport.orderID(), other = StoreTestSupport.orderID()
        try await store.set(sku: sku, available: 10)
        _ = try await store.reserve(orderID: order, lines: [(sku, 3)])
        _ = try await store.reserve(orderID: other, lines: [(sku, 4)])

        #expect(try await store.release(orderID: order, skus: [sku]) == [sku: 3])
        #expect(try await store.levels(sku: sku)
            == StockLevels(available: 6, reserved: 4, bin: nil, reorderPoint: nil, held: 4, holds: [other: 4]))
        #expect(try await store.release(orderID: order, skus: [sku]) == [sku: 0])
        #expect(try await store.levels(sku: sku)?.available == 6)
        #expect(try await store.holds(sku: sku) == [other: 4])
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("commit takes exactly what the order holds out of reserved, once; a release after it gives nothing back")
    func commitIsExactAndIdempotent() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: sku, available: 10)
        _ = try await store.reserve(orderID: order, lines: [(sku, 3)])

        #expect(try await store.commit(orderID: order, skus: [sku]) == [sku: 3])
        let committed = StockLevels(available: 7, reserved: 0, bin: nil, reorderPoint: nil, held: 0)
        #expect(try await store.levels(sku: sku) == committed)
        #expect(try await store.commit(orderID: order, skus: [sku]) == [sku: 0])
        #expect(try await store.release(orderID: order, skus: [sku]) == [sku: 0])
        #expect(try await store.levels(sku: sku) == committed)
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("repairing holds releases or commits each stale one, once, and sets reserved to the holds that remain")
    func repairHolds() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku()
        let (cancelled, shipped, live) = (StoreTestSupport.orderID(), StoreTestSupport.orderID(),
                                          StoreTestSupport.orderID())
        try await store.set(sku: sku, available: 20)
        for (order, quantity) in [(cancelled, 2), (shipped, 3), (live, 4)] {
            _ = try await store.reserve(orderID: order, lines: [(sku, quantity)])
        }
        _ = try await redis.send(RedisCommand("HINCRBY", RedisKeys.stock(sku), "reserved", 5))  // drift

        let stale = [StaleHold(orderID: cancelled, action: .release), StaleHold(orderID: shipped, action: .commit)]
        #expect(try await store.repairHolds(sku: sku, stale: stale)
            == HoldRepair(reservedBefore: 14, reservedAfter: 4, releasedToAvailable: 2, holdsRemoved: 2))
        #expect(try await store.levels(sku: sku)
            == StockLevels(available: 13, reserved: 4, bin: nil, reorderPoint: nil, held: 4, holds: [live: 4]))
        #expect(try await store.repairHolds(sku: sku, stale: stale)
            == HoldRepair(reservedBefore: 4, reservedAfter: 4, releasedToAvailable: 0, holdsRemoved: 0),
                "a second repair finds nothing to do")
        #expect(try await store.holds(sku: sku) == [live: 4])
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("a restock redelivered with the same id adds once; restocks without an id always add")
    func restockOncePerID() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku()
        try await store.set(sku: sku, available: 2)

        #expect(try await store.restock(sku: sku, quantity: 40, restockID: "delivery-1")
            == Restock(applied: true, available: 42))
        #expect(try await store.restock(sku: sku, quantity: 40, restockID: "delivery-1")
            == Restock(applied: false, available: 42))
        #expect(try await store.restock(sku: sku, quantity: 5, restockID: nil) == Restock(applied: true, available: 47))
        #expect(try await store.restock(sku: sku, quantity: 5, restockID: nil) == Restock(applied: true, available: 52))
        await #expect(throws: StoreError.self) { try await store.restock(sku: sku, quantity: 0, restockID: nil) }
        #expect(try await store.levels(sku: sku)?.available == 52)
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("crossing the reorder point downward is reported once per crossing, never on a redelivery")
    func reorderPointCrossedOnce() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), plain = StoreTestSupport.sku()
        let orders = (0..<5).map { _ in StoreTestSupport.orderID() }
        try await store.set(sku: sku, available: 10, reorderPoint: 5)
        try await store.set(sku: plain, available: 10)

        #expect(try await store.reserve(orderID: orders[0], lines: [(sku, 4), (plain, 9)]) == .reserved(lowStock: []))
        let crossing = Reservation.reserved(lowStock: [LowStock(sku: sku, available: 5, reorderPoint: 5)])
        #expect(try await store.reserve(orderID: orders[1], lines: [(sku, 1)]) == crossing)
        #expect(try await store.reserve(orderID: orders[1], lines: [(sku, 1)]) == .reserved(lowStock: []),
                "a redelivery does not cross again")
        #expect(try await store.reserve(orderID: orders[2], lines: [(sku, 1)]) == .reserved(lowStock: []),
                "already below: no new crossing")

        try await store.release(orderID: orders[1], skus: [sku])
        try await store.release(orderID: orders[2], skus: [sku])
        #expect(try await store.reserve(orderID: orders[3], lines: [(sku, 3)])
            == .reserved(lowStock: [LowStock(sku: sku, available: 3, reorderPoint: 5)]),
                "back above, then down again: a new crossing")
        #expect(try await store.levels(sku: sku)?.reorderPoint == 5)
        try await StoreTestSupport.deleteStock([sku, plain], on: redis)
        await redis.close()
    }

    @Test("a crossing undone by a short line is not reported")
    func crossingOfShortOrderNotReported() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let low = StoreTestSupport.sku(), scarce = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: low, available: 6, reorderPoint: 5)
        try await store.set(sku: scarce, available: 0)
        #expect(try await store.reserve(orderID: order, lines: [(low, 2), (scarce, 1)]) == .short(skus: [scarce]))
        #expect(try await store.levels(sku: low)?.available == 6)
        try await StoreTestSupport.deleteStock([low, scarce], on: redis)
        await redis.close()
    }

    @Test("two lines of one SKU are reserved as their sum")
    func linesOfOneSKU() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: sku, available: 10)
        #expect(try await store.reserve(orderID: order, lines: [(sku, 2), (sku, 3)]) == .reserved(lowStock: []))
        #expect(try await store.holds(sku: sku) == [order: 5])
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("release refuses, changing nothing, when the hold exceeds reserved: counters never go negative")
    func releaseRefusesInconsistentCounters() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: sku, available: 10)
        _ = try await store.reserve(orderID: order, lines: [(sku, 3)])
        try await redis.send(RedisCommand("HSET", RedisKeys.stock(sku), "reserved", 1))

        let error = await #expect(throws: StoreError.self) { try await store.release(orderID: order, skus: [sku]) }
        #expect(error?.kind == .server)
        #expect(error?.description.contains("reconcile") == true)
        #expect(try await store.levels(sku: sku)
            == StockLevels(available: 7, reserved: 1, bin: nil, reorderPoint: nil, held: 3, holds: [order: 3]))
        try await StoreTestSupport.deleteStock([sku], on: redis)
        await redis.close()
    }

    @Test("a reservation that finds a counter that is not an integer fails before its first write, on every line")
    func reserveValidatesFirst() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let good = StoreTestSupport.sku(), broken = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: good, available: 10)
        try await store.set(sku: broken, available: 10)
        try await redis.send(RedisCommand("HSET", RedisKeys.stock(broken), "reserved", "2.5"))

        let error = await #expect(throws: StoreError.self) {
            try await store.reserve(orderID: order, lines: [(good, 1), (broken, 1)])
        }
        #expect(error?.kind == .server)
        #expect(try await store.levels(sku: good)
            == StockLevels(available: 10, reserved: 0, bin: nil, reorderPoint: nil, held: 0))
        #expect(try await redis.send(RedisCommand("HGET", RedisKeys.stock(broken), "available")).int == 10)
        #expect(try await store.holds(sku: broken).isEmpty)
        try await StoreTestSupport.deleteStock([good, broken], on: redis)
        await redis.close()
    }

    @Test("backorders come oldest first; a redelivery keeps its place; removal is per SKU")
    func backorders() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let sku = StoreTestSupport.sku(), other = StoreTestSupport.sku()
        let (early, middle, late) = (StoreTestSupport.orderID(), StoreTestSupport.orderID(), StoreTestSupport.orderID())
        let start = StoreTestSupport.start
        try await store.addBackorder(orderID: late, skus: [sku], receivedAt: start.addingTimeInterval(60))
        try await store.addBackorder(orderID: early, skus: [sku, other], receivedAt: start)
        try await store.addBackorder(orderID: middle, skus: [sku], receivedAt: start.addingTimeInterval(0.001))
        try await store.addBackorder(orderID: early, skus: [sku], receivedAt: start.addingTimeInterval(120))

        #expect(try await store.backorders(sku: sku, limit: 10) == [early, middle, late])
        #expect(try await store.backorders(sku: sku, limit: 2) == [early, middle])
        try await store.removeBackorder(orderID: early, skus: [sku, other])
        #expect(try await store.backorders(sku: sku, limit: 10) == [middle, late])
        #expect(try await store.backorders(sku: other, limit: 10).isEmpty)
        try await StoreTestSupport.deleteStock([sku, other], on: redis)
        await redis.close()
    }
}
