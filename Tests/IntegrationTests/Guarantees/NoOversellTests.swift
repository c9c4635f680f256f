import Foundation
import OMSDomain
import OMSStore
import RedisClient
import Synchronization
import Testing

@Suite("Guarantee: no oversell under concurrent workers")
struct NoOversellTests {
    @Test("50 units, 500 orders, 3 capture processes: exactly 50 confirmed; a restock of 20 confirms the 20 oldest")
    func race() async throws {
        let pipeline = try await PipelineHarness.start("race")
        let sku = TestOrders.sku("RACE")
        try await pipeline.inventory.set(sku: sku, available: 50)
        let ids = (0..<500).map { "race-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        }
        let workers = try (0..<3).map { _ in try pipeline.startWorker(.capture) }

        let violations = Mutex<[String]>([])
        let sampling = Task {
            while !Task.isCancelled {
                if let levels = try? await pipeline.inventory.levels(sku: sku),
                   levels.available < 0 || levels.reserved < 0 || levels.available + levels.reserved != 50
                    || levels.available > 50 {
                    violations.withLock { $0.append("available \(levels.available), reserved \(levels.reserved)") }
                }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        let settled = try await pipeline.wait(timeout: .seconds(120), every: .milliseconds(300)) {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed || $0 == .backordered }.count == 500
        }
        sampling.cancel()
        try #require(settled, "not every order was captured; logs in \(pipeline.logDirectory)")
        let statuses = try await pipeline.statuses(ids)
        #expect(statuses.values.filter { $0 == .confirmed }.count == 50)
        #expect(statuses.values.filter { $0 == .backordered }.count == 450)
        #expect(violations.withLock { $0 }.isEmpty, "counters seen out of bounds: \(violations.withLock { $0 })")
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 0 && levels.reserved == 50 && levels.held == 50)

        let oldest = try await pipeline.inventory.backorders(sku: sku, limit: 20)
        try await pipeline.publish("stock.restocked", json: #"{"sku": "\#(sku)", "quantity": 20, "restock_id": "r1"}"#)
        let restocked = try await pipeline.wait {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count == 70
        }
        #expect(restocked)
        try await Task.sleep(for: .milliseconds(300))
        let after = try await pipeline.statuses(ids)
        #expect(after.values.filter { $0 == .confirmed }.count == 70)
        #expect(Set(oldest).allSatisfy { after[$0] == .confirmed }, "the 20 oldest backorders are the ones confirmed")
        #expect(try await pipeline.inventory.levels(sku: sku)?.available == 0)
        await pipeline.stop(workers)
    }
}
