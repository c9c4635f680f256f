import Foundation
import OMSDomain
import OMSStore
import Testing
import WorkerRuntime

@Suite("Guarantee: a cancel is honoured whenever the lifecycle allows it")
struct CancelTests {
    @Test("cancels published right behind their orders are all honoured: nothing ships, stock back, every charge refunded once")
    func cancelRightBehindOrder() async throws {
        let pipeline = try await PipelineHarness.start("cancelbehind")
        let sku = TestOrders.sku("BEHIND")
        try await pipeline.inventory.set(sku: sku, available: 500)
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: FulfilmentTests.documentsFolder())
            .merging(["OMS_GATEWAY_LATENCY_MS": "300", "OMS_RETRY_DELAYS_MS": "200,400,800,1600,3200"]) { _, new in new }
        let workers = try [Stage.capture, .payment, .pick, .ship].map {
            try pipeline.startWorker($0, environment: environment)
        }
        let ids = (0..<60).map { "behind-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 2)]))
            try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(id)", "reason": "changed my mind"}"#)
        }
        let cancelled = try await pipeline.wait(timeout: .seconds(120), every: .milliseconds(250)) {
            try await pipeline.statuses(ids).values.allSatisfy { $0 == .cancelled }
        }
        let left = try await pipeline.statuses(ids).filter { $0.value != .cancelled }
        #expect(cancelled, "not cancelled: \(left); logs in \(pipeline.logDirectory)")
        let ledger = SandboxLedger(pipeline.redis)
        #expect(try await pipeline.wait {
            for id in ids {
                let (charged, refunded) = (try await ledger.captures(of: id), try await ledger.refunds(of: id))
                if charged != refunded { return false }
            }
            return true
        }, "every charge refunded")
        try await Task.sleep(for: .milliseconds(500))
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 500 && levels.reserved == 0, "\(levels)")
        for id in ids {
            #expect(try await ledger.refunds(of: id) <= 1, "\(id) refunded once at most")
        }
        await pipeline.stop(workers)
    }
}
