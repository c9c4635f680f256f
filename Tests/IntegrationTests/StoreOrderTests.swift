import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Testing

@Suite("order store against the local Redis")
struct StoreOrderTests {
    static let document = Array(#"{"id":"x","lines":[{"sku":"MUG-BLUE","quantity":2}]}"#.utf8)

    /// A new order, moved along the shortest path to `status`; returns its version.
    static func order(_ id: String, at status: OrderStatus, in store: OrderStore) async throws -> Int {
        #expect(try await store.create(orderID: id, channel: "web", document: document, contentHash: "h1",
                                       at: StoreTestSupport.start, stage: "capture") == .created)
        var version = 1
        for next in StoreTestSupport.path(to: status) {
            let outcome = try await store.transition(orderID: id, to: next, stage: "test", note: "to \(next)",
                                                     at: StoreTestSupport.start.addingTimeInterval(Double(version)))
            guard case .applied(_, let newVersion) = outcome else {
                Issue.record("moving \(id) to \(next): \(outcome)")
                return version
            }
            version = newVersion
        }
        return version
    }

    @Test("create stores a new order once: the same content again is a duplicate, other content a conflict")
    func create() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let id = StoreTestSupport.orderID()
        let time = StoreTestSupport.start.addingTimeInterval(0.25)
        #expect(try await store.create(orderID: id, channel: "web", document: Self.document, contentHash: "h1",
                                       at: time, stage: "capture") == .created)
        #expect(try await store.create(orderID: id, channel: "web", document: Self.document, contentHash: "h1",
                                       at: time, stage: "capture") == .duplicate(status: .received, version: 1))
        #expect(try await store.create(orderID: id, channel: "web", document: [0x7B, 0x7D], contentHash: "h2",
                                       at: time, stage: "capture") == .conflict(status: .received, version: 1))

        #expect(try await store.status(orderID: id)! == (OrderStatus.received, 1))
        #expect(try await store.document(orderID: id) == Self.document)
        let fields = try await store.fields(orderID: id)
        #expect(fields["channel"] == "web" && fields["content_hash"] == "h1")
        #expect(fields["created_at"] == "2026-11-22T10:00:00.250Z" && fields["updated_at"] == fields["created_at"])
        #expect(try await store.history(orderID: id) == [
            HistoryEntry(from: nil, to: .received, version: 1, time: time, stage: "capture", note: ""),
        ])
        try await StoreTestSupport.deleteOrders([id], on: redis)
        await redis.close()
    }

    @Test("every transition of the state machine succeeds from its predecessor, one version up")
    func everyAllowedTransition() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        var ids: [String] = []
        for (from, targets) in OrderStatus.transitions {
            for to in targets {
                let id = StoreTestSupport.orderID()
                ids.append(id)
                let version = try await Self.order(id, at: from, in: store)
                #expect(try await store.transition(orderID: id, to: to, stage: "test", note: "",
                                                   at: StoreTestSupport.start) == .applied(from: from,
                                                                                           version: version + 1),
                        "\(from) → \(to)")
                #expect(try await store.status(orderID: id)! == (to, version + 1))
            }
        }
        try await StoreTestSupport.deleteOrders(ids, on: redis)
        await redis.close()
    }

    @Test("every other transition is refused and changes nothing; the current status again is already done")
    func everyOtherTransitionRefused() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        var ids: [String] = []
        for from in OrderStatus.allCases {
            let id = StoreTestSupport.orderID()
            ids.append(id)
            let version = try await Self.order(id, at: from, in: store)
            for to in OrderStatus.allCases where !from.canMove(to: to) {
                let expected: Transition = to == from ? .already(version: version)
                    : .refused(current: from, version: version)
                #expect(try await store.transition(orderID: id, to: to, stage: "test", note: "",
                                                   fields: ["reason": "should not be set"],
                                                   at: StoreTestSupport.start) == expected, "\(from) → \(to)")
            }
            #expect(try await store.status(orderID: id)! == (from, version))
            #expect(try await store.fields(orderID: id)["reason"] == nil)
            #expect(try await store.history(orderID: id).count == version)
        }
        try await StoreTestSupport.deleteOrders(ids, on: redis)
        await redis.close()
    }

    @Test("a transition of a missing order reports it and creates nothing")
    func missing() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let id = StoreTestSupport.orderID()
        #expect(try await store.transition(orderID: id, to: .confirmed, stage: "capture", note: "",
                                           at: StoreTestSupport.start) == .missing)
        #expect(try await store.status(orderID: id) == nil)
        #expect(try await store.history(orderID: id).isEmpty)
        #expect(try await store.record(orderID: id, stage: "capture", note: "x", at: StoreTestSupport.start) == false)
        #expect(try await store.history(orderID: id).isEmpty)
        await redis.close()
    }

    @Test("redelivered transitions change nothing; history lists each transition once, oldest first, with its fields")
    func historyOncePerTransition() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let id = StoreTestSupport.orderID()
        let start = StoreTestSupport.start
        _ = try await Self.order(id, at: .received, in: store)
        let steps: [(OrderStatus, String, [String: String])] = [
            (.confirmed, "capture", [:]), (.paid, "payment", ["payment_id": "pay_1"]), (.picked, "pick", [:]),
            (.shipped, "ship", ["tracking_number": "1Z999", "carrier": "table-rate"]),
        ]
        for (index, (status, stage, fields)) in steps.enumerated() {
            let time = start.addingTimeInterval(Double(index + 1))
            #expect(try await store.transition(orderID: id, to: status, stage: stage, note: "step \(index)",
                                               fields: fields, at: time)
                == .applied(from: index == 0 ? .received : steps[index - 1].0, version: index + 2))
            #expect(try await store.transition(orderID: id, to: status, stage: stage, note: "redelivered",
                                               fields: fields, at: time.addingTimeInterval(0.5))
                == .already(version: index + 2))
        }

        let history = try await store.history(orderID: id)
        #expect(history.map(\.version) == [1, 2, 3, 4, 5])
        #expect(history.map(\.to) == [.received, .confirmed, .paid, .picked, .shipped])
        #expect(history.map(\.from) == [nil, .received, .confirmed, .paid, .picked])
        #expect(history.map(\.stage) == ["capture", "capture", "payment", "pick", "ship"])
        #expect(history.dropFirst().map(\.note) == ["step 0", "step 1", "step 2", "step 3"])
        #expect(history.map(\.time) == (0...4).map { start.addingTimeInterval(Double($0)) })
        let fields = try await store.fields(orderID: id)
        #expect(fields["status"] == "shipped" && fields["version"] == "5")
        #expect(fields["tracking_number"] == "1Z999" && fields["carrier"] == "table-rate"
            && fields["payment_id"] == "pay_1")
        #expect(fields["updated_at"] == RFC3339.format(start.addingTimeInterval(4)))
        try await StoreTestSupport.deleteOrders([id], on: redis)
        await redis.close()
    }

    @Test("two workers racing on one transition: exactly one applies it, the other finds it done")
    func racingTransitions() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let ids = (0..<20).map { _ in StoreTestSupport.orderID() }
        for id in ids { _ = try await Self.order(id, at: .received, in: store) }
        let (first, second) = (try await RedisTestSupport.connect(), try await RedisTestSupport.connect())

        for id in ids {
            async let one = OrderStore(redis: first).transition(orderID: id, to: .confirmed, stage: "capture",
                                                                note: "worker 1", at: StoreTestSupport.start)
            async let two = OrderStore(redis: second).transition(orderID: id, to: .confirmed, stage: "capture",
                                                                 note: "worker 2", at: StoreTestSupport.start)
            let outcomes: Set<Transition> = [try await one, try await two]
            #expect(outcomes == [.applied(from: .received, version: 2), .already(version: 2)])
            #expect(try await store.history(orderID: id).count == 2)
        }
        try await StoreTestSupport.deleteOrders(ids, on: redis)
        await first.close()
        await second.close()
        await redis.close()
    }

    @Test("a transition whose history key holds something else fails before writing the order")
    func transitionValidatesFirst() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let id = StoreTestSupport.orderID()
        _ = try await Self.order(id, at: .received, in: store)
        try await redis.send(RedisCommand("DEL", RedisKeys.history(id)))
        try await redis.send(RedisCommand("SET", RedisKeys.history(id), "not a list"))

        let error = await #expect(throws: StoreError.self) {
            try await store.transition(orderID: id, to: .confirmed, stage: "capture", note: "",
                                       at: StoreTestSupport.start)
        }
        #expect(error?.kind == .server)
        #expect(try await store.status(orderID: id)! == (OrderStatus.received, 1))
        try await StoreTestSupport.deleteOrders([id], on: redis)
        await redis.close()
    }

    @Test("a recorded remark joins the history as no transition, leaving status and version as they are")
    func recordRemark() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let id = StoreTestSupport.orderID()
        let version = try await Self.order(id, at: .shipped, in: store)
        #expect(try await store.transition(orderID: id, to: .cancelled, stage: "capture", note: "",
                                           at: StoreTestSupport.start) == .refused(current: .shipped,
                                                                                   version: version))
        #expect(try await store.record(orderID: id, stage: "capture", note: "cancel refused: already shipped",
                                       at: StoreTestSupport.start.addingTimeInterval(60)))

        #expect(try await store.status(orderID: id)! == (OrderStatus.shipped, version))
        let history = try await store.history(orderID: id)
        #expect(history.count == version + 1)
        #expect(history.last == HistoryEntry(from: .shipped, to: .shipped, version: version,
                                             time: StoreTestSupport.start.addingTimeInterval(60), stage: "capture",
                                             note: "cancel refused: already shipped", isTransition: false))
        #expect(history.dropLast().allSatisfy { $0.isTransition })
        try await StoreTestSupport.deleteOrders([id], on: redis)
        await redis.close()
    }

    @Test("effect markers: a record overwrites; an unmarked effect is nil")
    func effects() async throws {
        let redis = try await RedisTestSupport.connect()
        let store = OrderStore(redis: redis)
        let id = StoreTestSupport.orderID()
        #expect(try await store.effect(orderID: id, effect: "email:order.confirmed") == nil)
        try await store.recordEffect(orderID: id, effect: "email:order.confirmed", value: "<first@oms>")
        try await store.recordEffect(orderID: id, effect: "email:order.confirmed", value: "<second@oms>")
        #expect(try await store.effect(orderID: id, effect: "email:order.confirmed") == "<second@oms>")

        try await store.recordEffect(orderID: id, effect: "charge", value: "ch_1")
        try await store.recordEffect(orderID: id, effect: "charge", value: "ch_1")
        #expect(try await store.effect(orderID: id, effect: "charge") == "ch_1")
        try await StoreTestSupport.deleteOrders([id], on: redis)
        await redis.close()
    }
}
