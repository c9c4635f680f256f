import OMSStore
import RedisClient
import Testing

@Suite("inventory store under concurrent reservations")
struct StoreConcurrencyTests {
    @Test("200 single-unit orders from 20 connections on 50 units: exactly 50 reserved, never negative")
    func noOversell() async throws {
        let sku = StoreTestSupport.sku()
        let observer = try await RedisTestSupport.connect()
        let observerStore = InventoryStore(redis: observer)
        try await observerStore.set(sku: sku, available: 50)

        let sampler = Task {
            var samples: [StockLevels] = []
            while !Task.isCancelled {
                if let levels = try await observerStore.levels(sku: sku) { samples.append(levels) }
            }
            return samples
        }
        let reserved = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<20 {
                group.addTask {
                    let redis = try await RedisTestSupport.connect()
                    let store = InventoryStore(redis: redis)
                    var reserved = 0
                    for index in 0..<10 {
                        let order = "\(sku):order-\(worker)-\(index)"
                        if case .reserved = try await store.reserve(orderID: order, lines: [(sku, 1)]) { reserved += 1 }
                    }
                    await redis.close()
                    return reserved
                }
            }
            return try await group.reduce(0, +)
        }
        sampler.cancel()
        let samples = try await sampler.value

        #expect(reserved == 50)
        let levels = try #require(try await observerStore.levels(sku: sku))
        #expect(levels.available == 0 && levels.reserved == 50 && levels.held == 50)
        #expect(levels.holds.count == 50 && levels.holds.values.allSatisfy { $0 == 1 })
        #expect(try await observerStore.holds(sku: sku) == levels.holds)
        #expect(samples.count > 1, "the counters were sampled while the reservations ran")
        #expect(samples.allSatisfy { $0.available >= 0 && $0.reserved >= 0 })
        #expect(samples.allSatisfy { $0.available + $0.reserved == 50 && $0.isConsistent })
        try await StoreTestSupport.deleteStock([sku], on: observer)
        await observer.close()
    }
}
