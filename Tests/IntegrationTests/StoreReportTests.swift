import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Testing

/// Counters and retention on the shared Redis. The counters hash is shared by
/// every test, so each test counts in a channel (or an email event) of its own
/// and reads only that; exact figures of the whole report are `CLIReportTests`'.
@Suite("report counters and retention against the local Redis")
struct StoreReportTests {
    static let document = Array(#"{"id":"x"}"#.utf8)

    /// A channel no other test or run counts in.
    static func channel() -> String { "t-\(UUID().uuidString.prefix(8).lowercased())" }

    /// A new order in `channel`, moved through `statuses` one second apart.
    static func order(_ id: String, channel: String, through statuses: [OrderStatus], in store: OrderStore)
        async throws {
        _ = try await store.create(orderID: id, channel: channel, document: document, contentHash: "h",
                                   at: StoreTestSupport.start, stage: "capture")
        for (index, status) in statuses.enumerated() {
            let outcome = try await store.transition(orderID: id, to: status, stage: "test", note: "",
                                                     at: StoreTestSupport.start.addingTimeInterval(Double(index + 1)))
            guard case .applied = outcome else {
                Issue.record("moving \(id) to \(status): \(outcome)")
                return
            }
        }
    }

    /// The counters of one channel, as `ReportCounter`s without the channel.
    static func counters(of channel: String, in store: OrderStore) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for (counter, count) in try await store.reportCounters() {
            switch counter {
            case .entered(let status, channel): counts["in:\(status.rawValue)"] = count
            case .left(let status, channel): counts["out:\(status.rawValue)"] = count
            default: continue
            }
        }
        return counts
    }

    static func timesToLive(_ id: String, on redis: RedisConnection) async throws -> [Int] {
        try await redis.pipeline([RedisKeys.order(id), RedisKeys.history(id), RedisKeys.effects(id)].map {
            RedisCommand("TTL", $0)
        }).map { $0.int ?? -3 }
    }

    static func cleanUp(_ ids: [String], channel: String?, on redis: RedisConnection) async throws {
        try await StoreTestSupport.deleteOrders(ids, on: redis)
        guard let channel else { return }
        let fields = OrderStatus.allCases.flatMap { status in
            [ReportCounter.entered(status, channel: channel).field, ReportCounter.left(status, channel: channel).field]
        }
        try await redis.send(RedisCommand("HDEL", arguments: [RedisKeys.report] + fields))
    }

    @Test("a fact is counted once per order, however often it is told")
    func tallyOnce() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis, retention: .keep)
        let (id, other) = (StoreTestSupport.orderID(), StoreTestSupport.orderID())
        let event = "test.\(UUID().uuidString.prefix(8))"
        let tally = Tally.emailSent(eventType: event)
        #expect(try await store.tally(orderID: id, tally))
        #expect(try await store.tally(orderID: id, tally) == false)
        #expect(try await store.tally(orderID: other, tally))
        #expect(try await store.reportCounters()[.emails(eventType: event)] == 2)
        #expect(try await redis.send(RedisCommand("TTL", RedisKeys.tallied(id))).int == -1, "retention 0: no expiry")
        try await redis.send(RedisCommand("HDEL", RedisKeys.report, ReportCounter.emails(eventType: event).field))
        try await Self.cleanUp([id, other], channel: nil, on: redis)
        await redis.close()
    }

    @Test("each move counts the status entered and the one left, in the channel; a redelivery counts nothing more")
    func transitionsCounted() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let (id, channel) = (StoreTestSupport.orderID(), Self.channel())
        try await Self.order(id, channel: channel, through: [.confirmed, .paid], in: store)
        _ = try await store.create(orderID: id, channel: channel, document: Self.document, contentHash: "h",
                                   at: StoreTestSupport.start, stage: "capture")
        #expect(try await store.transition(orderID: id, to: .paid, stage: "test", note: "redelivered",
                                           at: StoreTestSupport.start) == .already(version: 3))
        #expect(try await Self.counters(of: channel, in: store) == [
            "in:received": 1, "out:received": 1, "in:confirmed": 1, "out:confirmed": 1, "in:paid": 1,
        ])
        try await Self.cleanUp([id], channel: channel, on: redis)
        await redis.close()
    }

    @Test("a move whose count was lost (a crash in between) is counted when its redelivery finds it done")
    func lostCountRepaired() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let (id, channel) = (StoreTestSupport.orderID(), Self.channel())
        try await Self.order(id, channel: channel, through: [.backordered], in: store)
        try await redis.send(RedisCommand("HDEL", RedisKeys.tallied(id), "status:backordered"))
        for counter in [ReportCounter.entered(.backordered, channel: channel), .left(.received, channel: channel)] {
            try await redis.send(RedisCommand("HINCRBY", RedisKeys.report, counter.field, -1))
        }
        #expect(try await Self.counters(of: channel, in: store)["in:backordered"] == 0)

        #expect(try await store.transition(orderID: id, to: .backordered, stage: "test", note: "redelivered",
                                           at: StoreTestSupport.start) == .already(version: 2))
        #expect(try await Self.counters(of: channel, in: store) == [
            "in:received": 1, "out:received": 1, "in:backordered": 1,
        ])
        try await Self.cleanUp([id], channel: channel, on: redis)
        await redis.close()
    }

    @Test("a cancelled order's keys expire after the retention; with retention 0 they stay")
    func settledOrderExpires() async throws {
        let redis = try await RedisTestSupport.connect()
        let (kept, expiring) = (StoreTestSupport.orderID(), StoreTestSupport.orderID())
        for (id, retention) in [(kept, Retention.keep), (expiring, Retention("1h")!)] {
            let store = OrderStore(redis: redis, retention: retention)
            try await Self.order(id, channel: "web", through: [.confirmed], in: store)
            try await store.recordEffect(orderID: id, effect: "charge", value: "ch_1")
            #expect(try await Self.timesToLive(id, on: redis) == [-1, -1, -1], "not settled yet")
            try await Self.order(id, channel: "web", through: [.cancelled], in: store)
        }
        #expect(try await Self.timesToLive(kept, on: redis) == [-1, -1, -1])
        let timesToLive = try await Self.timesToLive(expiring, on: redis)
        #expect(timesToLive.allSatisfy { (3_590...3_600).contains($0) }, "\(timesToLive)")
        let marker = try await redis.send(RedisCommand("TTL", RedisKeys.tallied(expiring))).int ?? -3
        #expect((3_590...3_600).contains(marker), "the marker of counted facts lives as long")
        try await Self.cleanUp([kept, expiring], channel: nil, on: redis)
        await redis.close()
    }

    @Test("an email sent: marker written, lease released and count taken at once; told twice, counted once; a later claim finds it done")
    func emailSentRecorded() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis, retention: .keep)
        let id = StoreTestSupport.orderID()
        let event = "test.\(UUID().uuidString.prefix(8))"
        let marker = Effect.email(event)
        #expect(try await store.claimLease(orderID: id, effect: marker, for: .seconds(30)) == .claimed)
        #expect(try await store.claimLease(orderID: id, effect: marker, for: .seconds(30)) == .heldByAnother)
        for _ in 0..<2 {
            try await store.recordEmailSent(orderID: id, effect: marker, messageID: "<\(id)@oms.test>",
                                            tally: .emailSent(eventType: event))
        }
        #expect(try await store.effect(orderID: id, effect: marker) == "<\(id)@oms.test>")
        #expect(try await redis.send(RedisCommand("EXISTS", RedisKeys.lease(id, marker))).int == 0)
        #expect(try await store.claimLease(orderID: id, effect: marker, for: .seconds(30)) == .alreadyDone,
                "the lease is free again, and the email marked sent")
        #expect(try await redis.send(RedisCommand("EXISTS", RedisKeys.lease(id, marker))).int == 0,
                "a claim that finds the marker leaves no lease behind")
        #expect(try await store.reportCounters()[.emails(eventType: event)] == 1)
        try await redis.send(RedisCommand("HDEL", RedisKeys.report, ReportCounter.emails(eventType: event).field))
        try await redis.send(RedisCommand("DEL", RedisKeys.lease(id, marker)))
        try await Self.cleanUp([id], channel: nil, on: redis)
        await redis.close()
    }

    @Test("an effect marker written after the order settled expires with it")
    func lateEffectExpires() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis, retention: Retention("1h")!)
        let id = StoreTestSupport.orderID()
        try await Self.order(id, channel: "web", through: [.rejected], in: store)
        #expect(try await redis.send(RedisCommand("EXISTS", RedisKeys.effects(id))).int == 0)
        try await store.recordEffect(orderID: id, effect: "email:order.rejected", value: "<m@x>")
        let timeToLive = try await redis.send(RedisCommand("TTL", RedisKeys.effects(id))).int ?? -3
        // At most the retention from settling; a loaded machine has stalled 15 s between the two steps.
        #expect((3_300...3_600).contains(timeToLive), "\(timeToLive)")
        try await Self.cleanUp([id], channel: nil, on: redis)
        await redis.close()
    }

    @Test("delivered expires after the retention; a return requested keeps the order again")
    func returnLiftsExpiry() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis, retention: Retention("2h")!)
        let id = StoreTestSupport.orderID()
        try await Self.order(id, channel: "web", through: [.confirmed, .paid, .picked, .shipped, .delivered],
                             in: store)
        try await store.recordEffect(orderID: id, effect: "label", value: "1Z999")
        #expect(try await Self.timesToLive(id, on: redis).allSatisfy { (7_190...7_200).contains($0) })
        #expect(try await store.transition(orderID: id, to: .returnRequested, stage: "return", note: "",
                                           at: StoreTestSupport.start) == .applied(from: .delivered, version: 7))
        #expect(try await Self.timesToLive(id, on: redis) == [-1, -1, -1])
        try await Self.cleanUp([id], channel: nil, on: redis)
        await redis.close()
    }

    @Test("orders whose keys expired still count: the counters outlive them")
    func countsOutliveOrders() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis, retention: Retention("1h")!)
        let channel = Self.channel()
        let ids = (0..<3).map { _ in StoreTestSupport.orderID() }
        try await Self.order(ids[0], channel: channel, through: [.backordered, .cancelled], in: store)
        try await Self.order(ids[1], channel: channel, through: [.rejected], in: store)
        try await Self.order(ids[2], channel: channel, through: [.confirmed], in: store)
        try await redis.send(RedisCommand("DEL", arguments: ids.prefix(2).flatMap {
            [RedisKeys.order($0), RedisKeys.history($0), RedisKeys.effects($0)]
        }))

        let report = OrderReport(counters: try await store.reportCounters())
        #expect(report.receivedByChannel[channel] == 3)
        #expect(report.currentByChannel[channel]?.filter { $0.value > 0 }
            == [.cancelled: 1, .rejected: 1, .confirmed: 1])
        try await Self.cleanUp(ids, channel: channel, on: redis)
        await redis.close()
    }
}
