import Foundation
import OMSContract
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
            try await pipeline.all(ids, in: [.cancelled])
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
        // A cancel releases right after its status change; on a loaded machine that can lag the status.
        let released = try await pipeline.wait {
            let levels = try await pipeline.inventory.levels(sku: sku)
            return levels?.available == 500 && levels?.reserved == 0
        }
        let levels = try await pipeline.inventory.levels(sku: sku)
        #expect(released, "\(String(describing: levels))")
        for id in ids {
            #expect(try await ledger.refunds(of: id) <= 1, "\(id) refunded once at most")
        }
        await pipeline.stop(workers)
    }

    @Test("cancel at picked: items back to available, refunded once, off the picklist; the same cancel again changes nothing")
    func cancelAtPicked() async throws {
        let (pipeline, workers, id, sku) = try await Self.pickedOrder("cancelpicked", quantity: 3)
        let location = FulfilmentTests.warehouse(pipeline)
        let picklists = PicklistStore(redis: pipeline.redis, location: location)
        let picklist = try #require(try await picklists.picklist(of: id))
        #expect(try await picklists.assignments(on: picklist).map(\.orderID).contains(id))

        for _ in 0..<2 {
            try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(id)", "reason": "changed my mind"}"#)
        }
        let ledger = SandboxLedger(pipeline.redis)
        #expect(try await pipeline.wait { try await ledger.refunds(of: id) == 1 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await pipeline.statuses([id])[id] == .cancelled)
        #expect(try await ledger.refunds(of: id) == 1)
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 10 && levels.reserved == 0, "\(levels)")
        #expect(try await pipeline.inventory.holds(sku: sku).isEmpty)
        #expect(try await !picklists.assignments(on: picklist).map(\.orderID).contains(id), "voided")
        let transitions = try await pipeline.orders.history(orderID: id).filter(\.isTransition).map(\.to)
        #expect(transitions == [.received, .confirmed, .paid, .picked, .cancelled], "cancelled once")
        await pipeline.stop(workers)
    }

    @Test("once ship has claimed the label, a cancel is refused with the reason and the order stays picked")
    func cancelAfterLabelClaim() async throws {
        let (pipeline, workers, id, sku) = try await Self.pickedOrder("cancellabel", quantity: 1)
        #expect(try await pipeline.orders.claimEffect(orderID: id, effect: Effect.labelClaim, value: "now",
                                                      while: .picked) == .claimed)
        #expect(try await pipeline.orders.claimEffect(orderID: "\(id)-none", effect: Effect.labelClaim, value: "now",
                                                      while: .picked) == .refused(current: nil))
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(id)", "reason": "too late"}"#)
        #expect(try await pipeline.wait {
            try await pipeline.orders.history(orderID: id).last?.note
                == "cancel refused: its shipping label is already bought and the parcel is on its way out"
        })
        #expect(try await pipeline.statuses([id])[id] == .picked)
        #expect(try await pipeline.inventory.levels(sku: sku)?.reserved == 1)
        await pipeline.stop(workers)
    }

    @Test("cancels racing pick: no cancelled order stays on a picklist or keeps a packing slip; every picked one is on one")
    func cancelsRacingPick() async throws {
        let pipeline = try await PipelineHarness.start("cancelrace")
        let sku = TestOrders.sku("RACE")
        try await pipeline.inventory.set(sku: sku, available: 1_000)
        let documents = FulfilmentTests.documentsFolder()
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: documents)
            .merging(["OMS_RETRY_DELAYS_MS": "100,200,400,800,1600"]) { _, new in new }
        let workers = try [Stage.capture, .payment, .pick].map { try pipeline.startWorker($0, environment: environment) }
        let ids = (0..<200).map { "race-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        }
        // Cancels for every other order while payment and pick work through them.
        for id in ids.enumerated().filter({ $0.offset % 2 == 0 }).map(\.element) {
            try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(id)", "reason": "race"}"#)
        }
        let settled = try await pipeline.wait(timeout: .seconds(120), every: .milliseconds(250)) {
            try await pipeline.all(ids, in: [.cancelled, .picked])
        }
        #expect(settled, "logs in \(pipeline.logDirectory)")
        try await Task.sleep(for: .seconds(1))
        let statuses = try await pipeline.statuses(ids)
        let picklists = PicklistStore(redis: pipeline.redis, location: FulfilmentTests.warehouse(pipeline))
        var onPicklists: [String: Int] = [:]
        for list in try await FulfilmentRedeliveryTests.allPicklists(picklists, pipeline) {
            for assignment in try await picklists.assignments(on: list) { onPicklists[assignment.orderID, default: 0] += 1 }
        }
        let slips = Set((try? FileManager.default.contentsOfDirectory(atPath: documents + "/packing-slips")) ?? [])
        for id in ids {
            let picked = statuses[id] == .picked
            #expect(onPicklists[id, default: 0] == (picked ? 1 : 0), "\(id) is \(statuses[id]!)")
            #expect(slips.contains("\(id).pdf") == picked, "\(id)'s packing slip, \(statuses[id]!)")
        }
        // A cancel releases right after its status change; on a loaded machine that can lag the status.
        let pickedCount = statuses.values.filter { $0 == .picked }.count
        let released = try await pipeline.wait {
            let levels = try await pipeline.inventory.levels(sku: sku)
            return levels?.reserved == pickedCount && levels?.available == 1_000 - pickedCount
        }
        let levels = try await pipeline.inventory.levels(sku: sku)
        #expect(released, "\(pickedCount) picked, \(String(describing: levels))")
        await pipeline.stop(workers)
    }

    /// One order of `quantity` units of a SKU stocked with 10, taken to picked
    /// by capture, payment and pick (no ship, so it stays there).
    static func pickedOrder(_ name: String, quantity: Int) async throws
        -> (PipelineHarness, [WorkerProcess], id: String, sku: String) {
        let pipeline = try await PipelineHarness.start(name)
        let sku = TestOrders.sku(name.uppercased())
        try await pipeline.inventory.set(sku: sku, available: 10)
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: FulfilmentTests.documentsFolder())
        let workers = try [Stage.capture, .payment, .pick].map { try pipeline.startWorker($0, environment: environment) }
        let id = "\(name)-\(pipeline.vhost.suffix(8))"
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, quantity)]))
        try #require(try await pipeline.wait { try await pipeline.statuses([id])[id] == .picked })
        return (pipeline, workers, id, sku)
    }
}
