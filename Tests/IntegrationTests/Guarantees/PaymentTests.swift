import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Testing
import WorkerRuntime

@Suite("Payment")
struct PaymentTests {
    @Test("approved cards are charged once and paid; a declined card cancels the order and releases its stock")
    func approvedAndDeclined() async throws {
        let pipeline = try await PipelineHarness.start("payment")
        let sku = TestOrders.sku("PAY")
        try await pipeline.inventory.set(sku: sku, available: 10)
        let prefix = "pay-\(pipeline.vhost.suffix(8))"
        let workers = [try pipeline.startWorker(.capture), try pipeline.startWorker(.payment)]
        try await pipeline.publish("order.place", json: TestOrders.place(id: "\(prefix)-ok", lines: [(sku, 2)]))
        try await pipeline.publish("order.place", json: TestOrders.place(id: "\(prefix)-declined", lines: [(sku, 3)],
                                                                         token: "tok_chargeDeclined"))
        #expect(try await pipeline.wait {
            try await pipeline.statuses(["\(prefix)-ok", "\(prefix)-declined"])
                == ["\(prefix)-ok": .paid, "\(prefix)-declined": .cancelled]
        })
        let levels = try #require(try await pipeline.inventory.levels(sku: sku))
        #expect(levels.available == 8 && levels.reserved == 2, "the declined order's 3 units are back")
        #expect(try await pipeline.orders.fields(orderID: "\(prefix)-declined")["reason"]?
            .hasPrefix("payment declined:") == true)
        #expect(try await SandboxLedger(pipeline.redis).captures(of: "\(prefix)-ok") == 1)
        #expect(try await pipeline.orders.history(orderID: "\(prefix)-ok").map(\.to) == [.received, .confirmed, .paid])
        await pipeline.stop(workers)
    }

    @Test("a transient gateway failure is retried, then succeeds")
    func transientThenSuccess() async throws {
        let pipeline = try await PipelineHarness.start("flaky")
        let sku = TestOrders.sku("FLAKY")
        try await pipeline.inventory.set(sku: sku, available: 10)
        let id = "flaky-\(pipeline.vhost.suffix(8))"
        let workers = [try pipeline.startWorker(.capture), try pipeline.startWorker(.payment)]
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)], token: "tok_flaky"))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .paid })
        #expect(try await SandboxLedger(pipeline.redis).calls("\(id):authorize") == 2, "failed once, then approved")
        #expect(workers[1].log.contains("retrying later"))
        await pipeline.stop(workers)
    }

    @Test("a gateway that never answers: retried on the schedule, then dead-lettered saying it gave up; the order stays confirmed and the worker goes on")
    func retriesUsedUp() async throws {
        let pipeline = try await PipelineHarness.start("gaveup")
        let sku = TestOrders.sku("AWAY")
        try await pipeline.inventory.set(sku: sku, available: 10)
        let away = "away-\(pipeline.vhost.suffix(8))"
        let later = "later-\(pipeline.vhost.suffix(8))"
        let workers = [try pipeline.startWorker(.capture), try pipeline.startWorker(.payment)]
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        try await pipeline.publish("order.place", json: TestOrders.place(id: away, lines: [(sku, 1)],
                                                                         token: "tok_unavailable"))
        let letter = try #require(await dead.first())
        // The harness's schedule is 200, 400, 800 ms: three retries, four attempts.
        #expect(letter.headers[Headers.stage] == "payment")
        #expect(letter.headers[Headers.attempts]?.int == 4)
        #expect(letter.headers[Headers.error]?.string
            == "gave up after 4 attempts: payment gateway unavailable: the sandbox gateway did not answer in time")
        #expect(try await SandboxLedger(pipeline.redis).calls("\(away):authorize") == 4)
        #expect(try await pipeline.statuses([away])[away] == .confirmed, "nothing charged, still payable by a replay")

        try await pipeline.publish("order.place", json: TestOrders.place(id: later, lines: [(sku, 1)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([later])[later] == .paid })
        await pipeline.stop(workers)
    }

    @Test("cancel after payment releases the stock and refunds once")
    func cancelAfterPayment() async throws {
        let pipeline = try await PipelineHarness.start("cancelpaid")
        let sku = TestOrders.sku("CXL")
        try await pipeline.inventory.set(sku: sku, available: 10)
        let id = "cxl-\(pipeline.vhost.suffix(8))"
        let workers = [try pipeline.startWorker(.capture), try pipeline.startWorker(.payment)]
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 4)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([id])[id] == .paid })
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(id)", "reason": "customer asked"}"#)
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(id)", "reason": "customer asked"}"#)
        let ledger = SandboxLedger(pipeline.redis)
        #expect(try await pipeline.wait { try await ledger.refunds(of: id) == 1 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await ledger.refunds(of: id) == 1)
        #expect(try await pipeline.statuses([id])[id] == .cancelled)
        #expect(try await pipeline.inventory.levels(sku: sku)?.available == 10)
        await pipeline.stop(workers)
    }

    /// Not a speed test: serial calls would take 50 × 0.5 s = 25 s; calls in
    /// flight together take about one latency. The bound only tells them apart.
    @Test("one payment copy keeps many slow gateway calls in flight at once")
    func callsInFlight() async throws {
        let pipeline = try await PipelineHarness.start("inflight")
        let sku = TestOrders.sku("SLOW")
        try await pipeline.inventory.set(sku: sku, available: 100)
        let ids = (0..<50).map { "slow-\(pipeline.vhost.suffix(8))-\($0)" }
        let capture = try pipeline.startWorker(.capture)
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        }
        #expect(try await pipeline.wait {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count == ids.count
        })
        let started = ContinuousClock.now
        let payment = try pipeline.startWorker(.payment, environment: ["OMS_GATEWAY_LATENCY_MS": "500",
                                                                       "OMS_PREFETCH": "50"])
        #expect(try await pipeline.wait(timeout: .seconds(60)) {
            try await pipeline.statuses(ids).values.filter { $0 == .paid }.count == ids.count
        })
        #expect(ContinuousClock.now - started < .seconds(12), "authorise + capture at 0.5 s each, 50 orders")
        await pipeline.stop([capture, payment])
    }

    @Test("every charge message delivered twice, and payment SIGKILLed mid-way: no order is charged twice")
    func noDoubleCharge() async throws {
        let pipeline = try await PipelineHarness.start("nodouble")
        let sku = TestOrders.sku("DBL")
        try await pipeline.inventory.set(sku: sku, available: 10_000)
        let ids = (0..<300).map { "dbl-\(pipeline.vhost.suffix(8))-\($0)" }
        let capture = try pipeline.startWorker(.capture)
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        }
        #expect(try await pipeline.wait {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count == ids.count
        })
        // Every charge hand-off a second time, as a redelivery would.
        for id in ids {
            let order = try OrderCoding.decode(try #require(try await pipeline.orders.document(orderID: id)))
            try await pipeline.amqp.publish(AMQPMessageFactory.work(.payment, Handoff(action: .charge, order: order)))
        }
        let payment = try pipeline.startWorker(.payment, environment: ["OMS_GATEWAY_LATENCY_MS": "20"])
        #expect(try await pipeline.wait(every: .milliseconds(20)) {
            try await pipeline.statuses(ids).values.filter { $0 == .paid }.count >= 100
        })
        payment.crash()
        let again = try pipeline.startWorker(.payment)
        #expect(try await pipeline.wait(timeout: .seconds(120)) {
            try await pipeline.statuses(ids).values.filter { $0 == .paid }.count == ids.count
        })
        let ledger = SandboxLedger(pipeline.redis)
        // The gateway dedups by idempotency key, so captures alone cannot show
        // a second charge attempt: only calls can. The copies a payment held
        // when it was killed (its prefetch, 50) may be called again; every
        // duplicate hand-off must stop at the order's charge marker.
        let calls = try await ledger.calls(ids.map { "\($0):capture" })
        #expect(calls <= ids.count + 50, "\(calls) capture calls for \(ids.count) orders")
        for id in ids {
            #expect(try await ledger.captures(of: id) == 1, "\(id)")
            #expect(try await pipeline.orders.history(orderID: id).map(\.to) == [.received, .confirmed, .paid])
        }
        await pipeline.stop([capture, again])
    }
}

/// What the sandbox gateway recorded, read straight from Redis.
struct SandboxLedger {
    let redis: any Redis

    init(_ redis: any Redis) {
        self.redis = redis
    }

    func captures(of orderID: String) async throws -> Int {
        try await redis.send(RedisCommand("HEXISTS", "oms:sandbox:{ledger}", "\(orderID):capture")).int ?? 0
    }

    func refunds(of orderID: String) async throws -> Int {
        try await redis.send(RedisCommand("HEXISTS", "oms:sandbox:{ledger}", "\(orderID):refund")).int ?? 0
    }

    /// Gateway calls made with these idempotency keys, summed.
    func calls(_ idempotencyKeys: [String]) async throws -> Int {
        let reply = try await redis.send(RedisCommand("HMGET",
                                                      arguments: ["oms:sandbox:{ledger}:calls"] + idempotencyKeys))
        return (reply.array ?? []).compactMap(\.int).reduce(0, +)
    }

    /// The gateway operations kept for each order, by idempotency key
    /// `<order>:<operation>`: a key that changed between attempts would show
    /// as an operation more (one HKEYS for all).
    func operations(of orderIDs: [String]) async throws -> [String: Set<String>] {
        let wanted = Set(orderIDs)
        var operations: [String: Set<String>] = [:]
        for key in try await redis.send(RedisCommand("HKEYS", "oms:sandbox:{ledger}")).array?.compactMap(\.string) ?? [] {
            guard let colon = key.lastIndex(of: ":"), wanted.contains(String(key[..<colon])) else { continue }
            operations[String(key[..<colon]), default: []].insert(String(key[key.index(after: colon)...]))
        }
        return operations
    }

    func calls(_ idempotencyKey: String) async throws -> Int {
        try await redis.send(RedisCommand("HGET", "oms:sandbox:{ledger}:calls", idempotencyKey)).int ?? 0
    }
}
