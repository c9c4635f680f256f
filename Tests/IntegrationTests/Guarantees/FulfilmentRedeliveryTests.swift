import Foundation
import Fulfilment
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Testing
import WorkerRuntime

@Suite("Guarantee: every stage changes nothing twice")
struct FulfilmentRedeliveryTests {
    @Test("every message of every stage delivered twice: each order charged, picked, labelled and shipped once")
    func everythingTwice() async throws {
        let pipeline = try await PipelineHarness.start("twiceall")
        let (ids, sku) = try await Self.orders(150, pipeline)
        let workers = try FulfilmentTests.startStages(pipeline, documents: FulfilmentTests.documentsFolder(),
                                                      environment: ["OMS_FAILPOINT": "publish.twice"])
        try await Self.expectAllShippedOnce(ids, sku: sku, pipeline)
        await pipeline.stop(workers)
    }

    @Test("returns with every message delivered twice: each return restocks once and refunds once")
    func returnsTwice() async throws {
        let pipeline = try await PipelineHarness.start("twicereturn")
        let (ids, sku) = try await Self.orders(40, pipeline)
        let workers = try FulfilmentTests.startStages(pipeline, documents: FulfilmentTests.documentsFolder(),
                                                      environment: ["OMS_FAILPOINT": "publish.twice"])
        try await Self.expectAllShippedOnce(ids, sku: sku, pipeline)
        for id in ids {
            try await pipeline.publish("order.return", json: """
                {"order_id": "\(id)", "lines": [{"sku": "\(sku)", "quantity": 1, "condition": "sellable"},
                                               {"sku": "\(sku)", "quantity": 1, "condition": "sellable"}]}
                """)
        }
        let refunded = try await pipeline.wait(timeout: .seconds(120), every: .milliseconds(250)) {
            try await pipeline.statuses(ids).values.filter { $0 == .refunded }.count == ids.count
        }
        try #require(refunded, "not all refunded; logs in \(pipeline.logDirectory)")
        // The restocks go through capture, beside the refunds: wait for them, then for any extra.
        #expect(try await pipeline.wait {
            try await pipeline.inventory.levels(sku: sku)?.available == 10 * ids.count
        }, "every order's 2 back on the shelf")
        try await Task.sleep(for: .seconds(1))
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 10 * ids.count && levels.reserved == 0, "and only once: \(levels)")
        let ledger = SandboxLedger(pipeline.redis)
        let operations = try await ledger.operations(of: ids)
        for id in ids {
            #expect(operations[id] == ["authorize", "capture", "refund"], "one of each, under one key each: \(id)")
            #expect(try await ledger.refunds(of: id) == 1)
            #expect(try await pipeline.orders.fields(orderID: id)["refund_amount"] == "2500")
            #expect(try await pipeline.orders.history(orderID: id).filter(\.isTransition).map(\.to)
                == Self.progression + [.returnRequested, .returned, .refunded], "\(id)")
        }
        await pipeline.stop(workers)
    }

    @Test("payment, pick and ship each SIGKILLed in the middle of 1,000 orders and restarted: each order completes once")
    func killedMidway() async throws {
        let pipeline = try await PipelineHarness.start("killall")
        let (ids, sku) = try await Self.orders(1_000, pipeline)
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: FulfilmentTests.documentsFolder())
            .merging(["OMS_GATEWAY_LATENCY_MS": "5"]) { _, new in new }
        var workers = try [Stage.capture, .payment, .pick, .ship].map {
            try pipeline.startWorker($0, environment: environment)
        }
        for (stage, status, threshold) in [(Stage.payment, OrderStatus.paid, 250), (.pick, .picked, 500),
                                           (.ship, .shipped, 750)] {
            #expect(try await pipeline.wait(timeout: .seconds(120), every: .milliseconds(20)) {
                try await Self.count(atLeast: status, ids, pipeline) >= threshold
            })
            let index = workers.firstIndex { $0.stage == stage }!
            workers[index].crash()
            workers[index] = try pipeline.startWorker(stage, environment: environment)
        }
        try await Self.expectAllShippedOnce(ids, sku: sku, pipeline)
        await pipeline.stop(workers)
    }

    @Test("payment, pick and ship each killed in the middle of a batch (Redis done, confirms not): each order completes once, one charge, one email per event")
    func killedMidBatch() async throws {
        let pipeline = try await PipelineHarness.start("killbatch")
        let smtp = try await PrivateServers.start(["smtp"])
        let (ids, sku) = try await Self.orders(600, pipeline)
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: FulfilmentTests.documentsFolder())
            .merging(["OMS_GATEWAY_LATENCY_MS": "5", "OMS_PREFETCH": "100"]) { _, new in new }
        let crashing = environment.merging(["OMS_FAILPOINT": "batch.before-confirms:150"]) { _, new in new }
        var workers = try [pipeline.startWorker(.capture, environment: environment),
                           NotifyTests.notify(pipeline, smtp)]
        for stage in [Stage.payment, .pick, .ship] {
            let worker = try pipeline.startWorker(stage, environment: crashing)
            #expect(await worker.waitForExit(timeout: .seconds(120)), "\(stage) never reached its failpoint")
            workers.append(try pipeline.startWorker(stage, environment: environment))
        }
        try await Self.expectAllShippedOnce(ids, sku: sku, pipeline)
        let mailed = try await pipeline.wait(timeout: .seconds(120), every: .milliseconds(500)) {
            try await Mail.read(smtp.mailDirectory).count >= 2 * ids.count
        }
        #expect(mailed, "logs in \(pipeline.logDirectory)")
        try await Task.sleep(for: .seconds(1))
        let mails = try await Mail.read(smtp.mailDirectory)
        #expect(mails.count == 2 * ids.count, "one confirmed and one shipped email per order")
        #expect(Set(mails.map(\.key)).count == mails.count, "no email twice")
        await pipeline.stop(workers)
        await smtp.stop()
    }

    // MARK: - Helpers

    static let progression: [OrderStatus] = [.received, .confirmed, .paid, .picked, .shipped]

    static func count(atLeast status: OrderStatus, _ ids: [String], _ pipeline: PipelineHarness) async throws -> Int {
        let rank = progression.firstIndex(of: status)!
        return try await pipeline.statuses(ids).values.filter { (progression.firstIndex(of: $0) ?? -1) >= rank }.count
    }

    static func orders(_ count: Int, _ pipeline: PipelineHarness) async throws -> ([String], String) {
        let sku = TestOrders.sku("ONCE")
        try await pipeline.inventory.set(sku: sku, available: 10 * count, bin: "B-07")
        let ids = (0..<count).map { "once-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 2)]))
        }
        return (ids, sku)
    }

    /// Waits for `count` of the orders to be shipped.
    static func shipped(atLeast count: Int, _ ids: [String], _ pipeline: PipelineHarness) async throws -> Bool {
        try await pipeline.wait(timeout: .seconds(180), every: .milliseconds(50)) {
            (try? await shippedCount(ids, pipeline)) ?? 0 >= count
        }
    }

    /// A second read if the first meets a server that was away: the harness's
    /// connection reconnects on the command after the one that failed.
    static func shippedCount(_ ids: [String], _ pipeline: PipelineHarness) async throws -> Int {
        let statuses: [String: OrderStatus]
        if let first = try? await pipeline.statuses(ids) {
            statuses = first
        } else {
            statuses = try await pipeline.statuses(ids)
        }
        return statuses.values.filter { $0 == .shipped }.count
    }

    static func expectAllShippedOnce(_ ids: [String], sku: String, _ pipeline: PipelineHarness) async throws {
        let shipped = try await pipeline.wait(timeout: .seconds(240), every: .milliseconds(500)) {
            try await pipeline.statuses(ids).values.filter { $0 == .shipped }.count == ids.count
        }
        try #require(shipped, "not all shipped; logs in \(pipeline.logDirectory)")
        try await Task.sleep(for: .seconds(1))
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 8 * ids.count && levels.reserved == 0, "\(levels)")
        let ledger = SandboxLedger(pipeline.redis)
        let operations = try await ledger.operations(of: ids)
        let picklists = PicklistStore(redis: pipeline.redis, location: FulfilmentTests.warehouse(pipeline))
        var onPicklists: [String: Int] = [:]
        for id in try await allPicklists(picklists, pipeline) {
            for assignment in try await picklists.assignments(on: id) { onPicklists[assignment.orderID, default: 0] += 1 }
        }
        for id in ids {
            #expect(try await ledger.captures(of: id) == 1)
            #expect(operations[id] == ["authorize", "capture"], "one of each, under one key each: \(id)")
            #expect(try await pipeline.orders.history(orderID: id).filter(\.isTransition).map(\.to) == progression,
                    "\(id)")
            #expect(onPicklists[id] == 1, "\(id) is on \(onPicklists[id] ?? 0) picklists")
            let tracking = try await pipeline.orders.fields(orderID: id)["tracking_number"]
            let label = try await pipeline.orders.effect(orderID: id, effect: Effect.label)
            #expect(tracking != nil && tracking == label, "one label, the one on the order")
        }
    }

    /// Every picklist of the location, closed or open. The open one is read
    /// first: pick's writer may close it between the two reads, and then it
    /// is in the closed list too (read the other way round, it was in neither).
    static func allPicklists(_ store: PicklistStore, _ pipeline: PipelineHarness) async throws -> Set<String> {
        let replies = try await pipeline.redis.pipeline([
            RedisCommand("HGET", RedisKeys.picklists(store.location), "open"),
            RedisCommand("LRANGE", RedisKeys.closedPicklists(store.location), 0, -1),
        ])
        return Set([replies[0].string].compactMap { $0 } + (replies[1].array?.compactMap(\.string) ?? []))
    }
}
