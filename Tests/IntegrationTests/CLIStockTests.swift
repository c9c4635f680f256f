import AMQPClient
import Foundation
import OMSContract
import OMSStore
import RedisClient
import Testing

@Suite("oms stock and topology", .serialized)
struct CLIStockTests {
    @Test("set, get, list and low, in text and JSON")
    func setGetListLow() async throws {
        let harness = try await PipelineHarness.start("cli-stock")
        defer { Task { await harness.stop([]) } }
        let plenty = TestOrders.sku("CLI-STK")
        let short = TestOrders.sku("CLI-STK")

        let set = try await harness.oms("stock", "set", plenty, "40", "--bin", "A-01-3", "--reorder-point", "5")
        #expect(set.status == 0, "\(set)")
        #expect(set.stdout.contains("available 40"), "\(set)")
        #expect(try await harness.oms("stock", "set", short, "3", "--reorder-point", "5").status == 0)
        #expect(try await harness.inventory.levels(sku: plenty)?.bin == "A-01-3")

        _ = try await harness.redis.send(RedisCommand("HSET", RedisKeys.holds(plenty), "cli-some-order", 0))
        _ = try await harness.redis.send(RedisCommand("ZADD", RedisKeys.backorders(plenty), 1, "cli-some-order"))
        let get = try #require(try await harness.oms("stock", "get", plenty, "--json").json() as? [String: Any])
        #expect(get["available"] as? Int == 40)
        #expect(get["reserved"] as? Int == 0)
        #expect(get["reorder_point"] as? Int == 5)
        #expect(get["low"] as? Bool == false)
        let getText = try await harness.oms("stock", "get", short)
        #expect(getText.stdout.contains("at or under the reorder point"), "\(getText)")

        let list = try await harness.oms("stock", "list", plenty, short)
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("SKU") == true, "\(list)")
        #expect(lines.contains { $0.hasPrefix(plenty) && $0.contains("40") && $0.contains("A-01-3") }, "\(list)")
        let all = try #require(try await harness.oms("stock", "list", "--json").json() as? [[String: Any]])
        #expect(all.contains { $0["sku"] as? String == plenty })
        #expect(all.filter { ($0["sku"] as? String)?.hasPrefix(plenty) == true }.count == 1,
                "one row per SKU: its :holds, :restocks and :backorders keys are skipped")

        let low = try #require(try await harness.oms("stock", "low", "--json").json() as? [[String: Any]])
        let lowSKUs = Set(low.compactMap { $0["sku"] as? String })
        #expect(lowSKUs.contains(short))
        #expect(!lowSKUs.contains(plenty))

        let unknown = try await harness.oms("stock", "get", TestOrders.sku("CLI-NONE"))
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("no stock for SKU"), "\(unknown)")
    }

    @Test("add publishes stock.restocked, and capture confirms the backorder")
    func addConfirmsBackorder() async throws {
        let harness = try await PipelineHarness.start("cli-stock-add")
        let capture = try harness.startWorker(.capture)
        defer { Task { await harness.stop([capture]) } }
        let sku = TestOrders.sku("CLI-ADD")
        let id = "cli-add-\(UUID().uuidString.prefix(8))"
        #expect(try await harness.oms("stock", "set", sku, "0").status == 0)
        try await harness.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 2)]), messageID: id)
        #expect(try await harness.wait(timeout: .seconds(30)) {
            try await harness.statuses([id])[id] == .backordered
        })

        let add = try await harness.oms("stock", "add", sku, "5")
        #expect(add.status == 0, "\(add)")
        #expect(add.stdout.contains("published stock.restocked"), "\(add)")
        #expect(try await harness.wait(timeout: .seconds(30)) {
            try await harness.statuses([id])[id] == .confirmed
        }, "\(capture.log)")
        let levels = try await harness.inventory.levels(sku: sku)
        #expect(levels?.available == 3)
        #expect(levels?.reserved == 2)
    }

    @Test("reconcile reports a planted drift, and --fix repairs it atomically")
    func reconcile() async throws {
        let harness = try await PipelineHarness.start("cli-reconcile")
        defer { Task { await harness.stop([]) } }
        let sku = TestOrders.sku("CLI-REC")
        let clean = TestOrders.sku("CLI-REC")
        let ghost = "cli-rec-ghost-\(UUID().uuidString.prefix(8))"
        // 10 available, reserved says 7 while the only hold (of an order that does not exist) is 3.
        try await harness.inventory.set(sku: sku, available: 10)
        try await harness.inventory.set(sku: clean, available: 4)
        _ = try await harness.redis.send(RedisCommand("HSET", RedisKeys.stock(sku), "reserved", 7))
        _ = try await harness.redis.send(RedisCommand("HSET", RedisKeys.holds(sku), ghost, 3))
        // And a shipped order that still holds 2: should have been committed (not back to available).
        let shipped = "cli-rec-shipped-\(UUID().uuidString.prefix(8))"
        _ = try await harness.redis.send(RedisCommand("HSET", RedisKeys.order(shipped), "status", "shipped", "version", 6))
        _ = try await harness.redis.send(RedisCommand("HSET", RedisKeys.holds(sku), shipped, 2))
        _ = try await harness.redis.send(RedisCommand("HSET", RedisKeys.stock(sku), "reserved", 9))

        let check = try await harness.oms("stock", "reconcile", sku, clean)
        #expect(check.status == 1, "\(check)")
        #expect(check.stdout.contains("\(sku): reserved 9, holds sum 5 (drift +4)"), "\(check)")
        #expect(check.stdout.contains("stale hold: order \(ghost) (missing) holds 3"), "\(check)")
        #expect(check.stdout.contains("stale hold: order \(shipped) (shipped) holds 2: should be committed"), "\(check)")
        #expect(!check.stdout.contains("\(clean):"), "\(check)")

        let fix = try #require(try await harness.oms("stock", "reconcile", "--fix", "--json", sku, clean)
            .json() as? [String: Any])
        #expect(fix["drifted"] as? Int == 1)
        let levels = try await harness.inventory.levels(sku: sku)
        #expect(levels?.reserved == 0)
        #expect(levels?.available == 13)
        #expect(try await harness.inventory.holds(sku: sku).isEmpty)
        #expect(try await harness.oms("stock", "reconcile", sku, clean).status == 0)
    }

    @Test("stock per location: set and add --location, list and get show each location, reconcile checks each")
    func perLocation() async throws {
        let harness = try await PipelineHarness.start("cli-stock-at")
        let capture = try harness.startWorker(.capture)
        defer { Task { await harness.stop([capture]) } }
        let sku = TestOrders.sku("CLI-LOC")
        #expect(try await harness.oms("stock", "set", sku, "4", "--location", "LON-1", "--bin", "A-01").status == 0)
        let set = try await harness.oms("stock", "set", sku, "6", "--location", "BER-1")
        #expect(set.stdout.contains("available 10") && set.stdout.contains("at locations BER-1 6/0, LON-1 4/0"), "\(set)")

        let unnamed = try await harness.oms("stock", "set", sku, "3")
        #expect(unnamed.status != 0)
        #expect(unnamed.stderr.contains("stocked per location: say which with --location"), "\(unnamed)")
        #expect(try await harness.inventory.levels(sku: sku)?.available == 10)

        let add = try await harness.oms("stock", "add", sku, "5", "--location", "LON-1")
        #expect(add.stdout.contains("+5 at LON-1"), "\(add)")
        #expect(try await harness.wait(timeout: .seconds(30)) {
            try await harness.inventory.levels(sku: sku)?.locations["LON-1"]?.available == 9
        }, "\(capture.log)")

        let list = try #require(try await harness.oms("stock", "list", sku, "--json").json() as? [[String: Any]])
        let locations = try #require(list.first?["locations"] as? [String: [String: Int]])
        #expect(locations == ["LON-1": ["available": 9, "reserved": 0], "BER-1": ["available": 6, "reserved": 0]])
        #expect(list.first?["available"] as? Int == 15 && list.first?["location"] as? String == "A-01")
        let get = try await harness.oms("stock", "get", sku)
        #expect(get.stdout.contains("at LON-1       available 9, reserved 0 (held 0)"), "\(get)")

        // A location's reserved drifts from the holds there, and the total from the locations' sum.
        _ = try await harness.redis.send(RedisCommand("HINCRBY", RedisKeys.stock(sku), "reserved@BER-1", 2))
        _ = try await harness.redis.send(RedisCommand("HINCRBY", RedisKeys.stock(sku), "available", 1))
        let check = try await harness.oms("stock", "reconcile", sku)
        #expect(check.status == 1, "\(check)")
        #expect(check.stdout.contains("at BER-1: reserved 2, holds there sum 0"), "\(check)")
        #expect(check.stdout.contains("available 16, but its locations add up to 15"), "\(check)")
        #expect(try await harness.oms("stock", "reconcile", "--fix", sku).status == 0)
        let fixed = try #require(try await harness.inventory.levels(sku: sku))
        #expect(fixed.available == 15 && fixed.locations["BER-1"]?.reserved == 0 && fixed.isConsistent)
        #expect(try await harness.oms("stock", "reconcile", sku).status == 0)
    }

    @Test("concurrent stock add: every restock counts once")
    func concurrentAdds() async throws {
        let harness = try await PipelineHarness.start("cli-stock-concurrent")
        let capture = try harness.startWorker(.capture)
        defer { Task { await harness.stop([capture]) } }
        let sku = TestOrders.sku("CLI-CON")
        #expect(try await harness.oms("stock", "set", sku, "0").status == 0)
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<8 { group.addTask { try await harness.oms("stock", "add", sku, "3").status } }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 0, count: 8))
        #expect(try await harness.wait(timeout: .seconds(30)) {
            try await harness.inventory.levels(sku: sku)?.available == 24
        }, "\(capture.log)")
    }

    @Test("topology apply declares everything and says what it found")
    func topologyApply() async throws {
        let harness = try await PipelineHarness.start("cli-topology")
        defer { Task { await harness.stop([]) } }
        try await harness.amqp.delete(queue: "oms.return")
        let result = try await harness.oms("topology", "apply")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("oms.intake"), "\(result)")
        #expect(result.stdout.contains(#/oms\.capture\s+found/#), "\(result)")
        #expect(result.stdout.contains(#/oms\.return\s+created/#), "\(result)")
        #expect(result.stdout.contains("bindings:"), "\(result)")
        _ = try await harness.amqp.inspect(queue: "oms.return")
    }

    @Test("topology apply removes the old layout's binding: notify no longer gets events that send no email")
    func topologyApplyRemovesRetiredBindings() async throws {
        let harness = try await PipelineHarness.start("cli-topology-retired")
        defer { Task { await harness.stop([]) } }
        try await harness.amqp.declare(AMQPTopology(bindings: [
            .init(queue: "oms.notify", exchange: "oms.events", routingKey: "order.#"),
        ]))
        let result = try await harness.oms("topology", "apply")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("removed if present: oms.notify ← oms.events order.#"), "\(result)")
        try await harness.amqp.publish(AMQPMessage(exchange: "oms.events", routingKey: "order.paid", body: Array("{}".utf8)))
        try await harness.amqp.publish(AMQPMessage(exchange: "oms.events", routingKey: "order.shipped",
                                                   body: Array("{}".utf8)))
        #expect(try await harness.wait(timeout: .seconds(10)) {
            let (pick, notify) = (try await harness.amqp.inspect(queue: "oms.pick").messages,
                                  try await harness.amqp.inspect(queue: "oms.notify").messages)
            return pick == 1 && notify >= 1
        })
        #expect(try await harness.amqp.inspect(queue: "oms.notify").messages == 1, "order.paid reached notify")
    }
}
