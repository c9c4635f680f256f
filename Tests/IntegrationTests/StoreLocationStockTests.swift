import Foundation
import OMSContract
import OMSStore
import RedisClient
import Testing

/// Stock per location (`available@LOC`, `reserved@LOC`) through the store's
/// scripts, on the local Redis.
@Suite("inventory store: stock per location")
struct StoreLocationStockTests {
    static func at(_ available: Int, _ reserved: Int, held: Int? = nil) -> LocationStock {
        LocationStock(available: available, reserved: reserved, held: held ?? reserved)
    }

    @Test("an order is held where every line is: lines first found at two locations are taken again at the one that has both")
    func wholeOrderAtOneLocation() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let mug = StoreTestSupport.sku(), tea = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set([StockSetting(sku: mug, available: 5, location: "NEAR"),
                             StockSetting(sku: mug, available: 10, location: "FAR"),
                             StockSetting(sku: tea, available: 1, location: "NEAR"),
                             StockSetting(sku: tea, available: 4, location: "FAR")])
        #expect(try await store.levels(sku: mug)?.available == 15)

        // NEAR has the mugs but one tea: both lines come from FAR.
        let reservation = try await store.reserve(orderID: order, lines: [(mug, 3), (tea, 2)], locations: ["NEAR", "FAR"])
        #expect(reservation == .reserved(lowStock: [], heldAt: [mug: "FAR", tea: "FAR"]))
        #expect(reservation.location == "FAR")
        let mugs = try #require(try await store.levels(sku: mug))
        #expect(mugs.available == 12 && mugs.reserved == 3)
        #expect(mugs.locations == ["NEAR": Self.at(5, 0), "FAR": Self.at(7, 3)])
        #expect(try await store.levels(sku: tea)?.locations == ["NEAR": Self.at(1, 0), "FAR": Self.at(2, 2)])
        #expect(mugs.isConsistent)

        // A redelivery changes nothing and names the same location.
        #expect(try await store.reserve(orderID: order, lines: [(mug, 3), (tea, 2)], locations: ["NEAR", "FAR"])
            == .reserved(lowStock: [], heldAt: [mug: "FAR", tea: "FAR"]))
        #expect(try await store.levels(sku: mug)?.locations["FAR"] == Self.at(7, 3))

        // Shipped: reserved leaves FAR for good.
        #expect(try await store.commit(orderID: order, skus: [mug, tea]) == [mug: 3, tea: 2])
        #expect(try await store.levels(sku: mug)?.locations == ["NEAR": Self.at(5, 0), "FAR": Self.at(7, 0)])
        #expect(try await store.levels(sku: mug)?.reserved == 0)
        try await StoreTestSupport.deleteStock([mug, tea], on: redis)
        await redis.close()
    }

    @Test("nearest first; a release puts the units back at their location; no location with every unit is short")
    func preferenceReleaseAndShort() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let mug = StoreTestSupport.sku(), plain = StoreTestSupport.sku()
        let first = StoreTestSupport.orderID(), second = StoreTestSupport.orderID()
        try await store.set([StockSetting(sku: mug, available: 5, location: "NEAR"),
                             StockSetting(sku: mug, available: 10, location: "FAR"),
                             StockSetting(sku: plain, available: 3)])

        // A SKU not stocked per location comes from its totals, beside one that is.
        #expect(try await store.reserve(orderID: first, lines: [(mug, 2), (plain, 1)], locations: ["NEAR", "FAR"])
            == .reserved(lowStock: [], heldAt: [mug: "NEAR"]))
        #expect(try await store.levels(sku: plain)?.available == 2)
        #expect(try await store.release(orderID: first, skus: [mug, plain]) == [mug: 2, plain: 1])
        #expect(try await store.levels(sku: mug)?.locations == ["NEAR": Self.at(5, 0), "FAR": Self.at(10, 0)])
        #expect(try await store.levels(sku: mug)?.available == 15)

        // 11 of 15 in stock, but no location has 11.
        #expect(try await store.reserve(orderID: second, lines: [(mug, 11)], locations: ["NEAR", "FAR"])
            == .short(skus: [mug]))
        #expect(try await store.levels(sku: mug)?.reserved == 0)
        #expect(try await store.holds(sku: mug).isEmpty)
        try await StoreTestSupport.deleteStock([mug, plain], on: redis)
        await redis.close()
    }

    @Test("lines no one location has together stay where each is whole: the order ships in parcels")
    func splitIntoParcels() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let mug = StoreTestSupport.sku(), tea = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set([StockSetting(sku: mug, available: 5, location: "NEAR"),
                             StockSetting(sku: mug, available: 1, location: "FAR"),
                             StockSetting(sku: tea, available: 0, location: "NEAR"),
                             StockSetting(sku: tea, available: 4, location: "FAR")])

        // NEAR has the mugs and no tea, FAR the tea and one mug.
        let reservation = try await store.reserve(orderID: order, lines: [(mug, 3), (tea, 2)], locations: ["NEAR", "FAR"])
        #expect(reservation == .reserved(lowStock: [], heldAt: [mug: "NEAR", tea: "FAR"]))
        #expect(reservation.location == nil)
        #expect(try await store.levels(sku: mug)?.locations == ["NEAR": Self.at(2, 3), "FAR": Self.at(1, 0)])
        #expect(try await store.levels(sku: tea)?.locations == ["NEAR": Self.at(0, 0), "FAR": Self.at(2, 2)])

        // A redelivery names the same places and moves nothing.
        #expect(try await store.reserve(orderID: order, lines: [(mug, 3), (tea, 2)], locations: ["NEAR", "FAR"])
            == reservation)
        #expect(try await store.levels(sku: mug)?.reserved == 3)

        // Each parcel's units leave from where they were held.
        #expect(try await store.commit(orderID: order, skus: [mug, tea]) == [mug: 3, tea: 2])
        #expect(try await store.levels(sku: mug)?.locations == ["NEAR": Self.at(2, 0), "FAR": Self.at(1, 0)])
        #expect(try await store.levels(sku: tea)?.locations == ["NEAR": Self.at(0, 0), "FAR": Self.at(2, 0)])
        try await StoreTestSupport.deleteStock([mug, tea], on: redis)
        await redis.close()
    }

    @Test("the first location set takes what the SKU had, holds included; then every change must name a location")
    func becomingStockedPerLocation() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let mug = StoreTestSupport.sku(), order = StoreTestSupport.orderID()
        try await store.set(sku: mug, available: 10)
        #expect(try await store.reserve(orderID: order, lines: [(mug, 2)]) == .reserved(lowStock: []))

        try await store.set(sku: mug, available: 7, at: "MAIN")
        let levels = try #require(try await store.levels(sku: mug))
        #expect(levels.available == 7 && levels.reserved == 2)
        #expect(levels.locations == ["MAIN": Self.at(7, 2)])
        #expect(try await store.release(orderID: order, skus: [mug]) == [mug: 2])
        #expect(try await store.levels(sku: mug)?.locations == ["MAIN": Self.at(9, 0)])

        let refused = await #expect(throws: StoreError.self) { try await store.set(sku: mug, available: 3) }
        #expect(refused?.kind == .invalidArgument)
        #expect(refused?.description.contains("stocked per location (MAIN)") == true, "\(String(describing: refused))")
        await #expect(throws: StoreError.self) { try await store.restock(sku: mug, quantity: 1, restockID: nil) }

        #expect(try await store.restock(sku: mug, quantity: 4, restockID: "po-1", location: "SECOND")
            == Restock(applied: true, available: 13))
        #expect(try await store.restock(sku: mug, quantity: 4, restockID: "po-1", location: "SECOND")
            == Restock(applied: false, available: 13))
        #expect(try await store.levels(sku: mug)?.locations == ["MAIN": Self.at(9, 0), "SECOND": Self.at(4, 0)])
        try await StoreTestSupport.deleteStock([mug], on: redis)
        await redis.close()
    }

    @Test("units added at a location to a SKU not stocked per location count in its total only")
    func addAtLocationKeepsTotals() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let mug = StoreTestSupport.sku()
        try await store.set(sku: mug, available: 2)
        #expect(try await store.restock(sku: mug, quantity: 3, restockID: nil, location: "MAIN")
            == Restock(applied: true, available: 5))
        #expect(try await store.levels(sku: mug)?.locations == [:])
        try await StoreTestSupport.deleteStock([mug], on: redis)
        await redis.close()
    }

    @Test("repair sets each location's reserved to its holds and available to the locations' sum")
    func repairPerLocation() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = InventoryStore(redis: redis)
        let mug = StoreTestSupport.sku(), kept = StoreTestSupport.orderID(), stale = StoreTestSupport.orderID()
        try await store.set([StockSetting(sku: mug, available: 10, location: "NEAR"),
                             StockSetting(sku: mug, available: 10, location: "FAR")])
        _ = try await store.reserve(orderID: kept, lines: [(mug, 2)], locations: ["NEAR"])
        _ = try await store.reserve(orderID: stale, lines: [(mug, 3)], locations: ["FAR"])
        _ = try await redis.send(RedisCommand("HINCRBY", RedisKeys.stock(mug), "reserved@NEAR", 5))
        _ = try await redis.send(RedisCommand("HINCRBY", RedisKeys.stock(mug), "available", 1))
        #expect(try await store.levels(sku: mug)?.isConsistent == false)

        let repair = try await store.repairHolds(sku: mug, stale: [StaleHold(orderID: stale, action: .release)])
        #expect(repair.releasedToAvailable == 3 && repair.holdsRemoved == 1 && repair.reservedAfter == 2)
        let levels = try #require(try await store.levels(sku: mug))
        #expect(levels.locations == ["NEAR": Self.at(8, 2), "FAR": Self.at(10, 0)])
        #expect(levels.available == 18 && levels.reserved == 2)
        #expect(levels.isConsistent)
        try await StoreTestSupport.deleteStock([mug], on: redis)
        await redis.close()
    }
}
