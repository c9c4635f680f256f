import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Testing

/// Against a Redis Cluster of the test's own: three masters, one replica each.
@Suite("Redis Cluster client against a real cluster")
struct RedisClusterTests {
    private func withCluster(_ body: (ClusterServers, RedisCluster) async throws -> Void) async throws {
        try await ClusterServers.with(["redis"]) { servers in
            let cluster = try await RedisCluster.connect(seeds: try RedisConnector.urls(servers.redisURL))
            try await body(servers, cluster)
            await cluster.close()
        }
    }

    @Test("a pipeline over every master comes back in the caller's order")
    func pipelineAcrossMasters() async throws {
        try await withCluster { _, cluster in
            let keys = (0..<300).map { "test:{k\($0)}" }
            let sets = try await cluster.pipeline(keys.map { RedisCommand("SET", $0, "v-\($0)") })
            #expect(sets.allSatisfy { $0 == .status("OK") })
            let gets = try await cluster.pipeline(keys.map { RedisCommand("GET", $0) })
            #expect(gets.map(\.string) == keys.map { "v-\($0)" })
            let masters = await cluster.masters
            #expect(masters.count == 3)
            for master in masters {
                let count = try await cluster.send(RedisCommand("DBSIZE"), to: master).int ?? 0
                #expect(count > 50, "\(master) holds \(count) of the 300 keys")
            }
        }
    }

    @Test("scripts run by SHA on each node, and again after SCRIPT FLUSH on every master")
    func scriptsBySHA() async throws {
        try await withCluster { _, cluster in
            let script = RedisScript(name: "incr", source: "return redis.call('INCR', KEYS[1])")
            let keys = (0..<30).map { "test:{script\($0)}" }
            let first = try await cluster.pipeline(keys.map { .evalSHA(script, keys: [$0]) })
            #expect(first.map(\.int) == Array(repeating: 1, count: keys.count))
            for master in await cluster.masters {
                try await cluster.send(RedisCommand("SCRIPT", "FLUSH"), to: master)
            }
            let second = try await cluster.pipeline(keys.map { .evalSHA(script, keys: [$0]) })
            #expect(second.map(\.int) == Array(repeating: 2, count: keys.count))
        }
    }

    @Test("a script over two slots is refused before it is sent: nothing written")
    func multiSlotScriptRefused() async throws {
        try await withCluster { _, cluster in
            let script = RedisScript(name: "both", source: "redis.call('SET', KEYS[1], 1) redis.call('SET', KEYS[2], 1)")
            let keys = ["test:{order-1}", "test:{MUG}"]
            await #expect(throws: RedisError.self) {
                try await cluster.pipeline([RedisCommand("SET", "test:{other}", 1), .evalSHA(script, keys: keys)])
            }
            let exists = try await cluster.pipeline((keys + ["test:{other}"]).map { RedisCommand("EXISTS", $0) })
            #expect(exists.map(\.int) == [0, 0, 0], "not even the batch's other command went out")
        }
    }

    @Test("during a slot migration a new key goes to the importing node (ASK); after it, MOVED updates the map")
    func askThenMoved() async throws {
        try await withCluster { _, cluster in
            let old = "test:{migrating}:old", new = "test:{migrating}:new"
            let slot = HashSlot.of(old)
            try await cluster.send(RedisCommand("SET", old, "before"))
            let source = try #require(await cluster.master(of: old))
            let target = try #require(await cluster.masters.first { $0 != source })
            let sourceID = try #require(try await cluster.send(RedisCommand("CLUSTER", "MYID"), to: source).string)
            let targetID = try #require(try await cluster.send(RedisCommand("CLUSTER", "MYID"), to: target).string)
            try await cluster.send(RedisCommand("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceID), to: target)
            try await cluster.send(RedisCommand("CLUSTER", "SETSLOT", slot, "MIGRATING", targetID), to: source)

            try await cluster.send(RedisCommand("SET", new, "during"))
            let onTarget = try await cluster.send(RedisCommand("CLUSTER", "COUNTKEYSINSLOT", slot), to: target)
            #expect(onTarget.int == 1, "the new key was written on the importing node, after ASKING")
            #expect(try await cluster.send(RedisCommand("GET", old)).string == "before")
            #expect(await cluster.master(of: old) == source, "ASK leaves the map alone")

            try await cluster.send(RedisCommand("MIGRATE", target.host, target.port, "", 0, 5000, "KEYS", old),
                                   to: source)
            for master in await cluster.masters {
                try await cluster.send(RedisCommand("CLUSTER", "SETSLOT", slot, "NODE", targetID), to: master)
            }
            #expect(try await cluster.pipeline([RedisCommand("GET", old), RedisCommand("GET", new)]).map(\.string)
                == ["before", "during"])
            #expect(await cluster.master(of: old) == target, "MOVED updated the map")
        }
    }

    @Test("a killed master: its replica is promoted and the client carries on, with what was replicated")
    func masterKilled() async throws {
        try await withCluster { servers, cluster in
            let key = "test:{failover}"
            try await cluster.send(RedisCommand("SET", key, "kept"))
            let master = try #require(await cluster.master(of: key))
            #expect(try await cluster.send(RedisCommand("WAIT", 1, 2000), to: master).int == 1)
            try servers.kill(port: master.port)

            let start = ContinuousClock.now
            var value: String?
            while value == nil, ContinuousClock.now - start < .seconds(30) {
                value = try? await cluster.send(RedisCommand("GET", key)).string
            }
            #expect(value == "kept")
            print("Redis failover: commands answered again \(ContinuousClock.now - start) after kill -9")
            #expect(try await cluster.send(RedisCommand("SET", key, "after")) == .status("OK"))
            #expect(await cluster.master(of: key) != master)
        }
    }

    @Test("the stores on a cluster: a reservation over SKUs of every master, short, commit; an order's moves")
    func storesOnCluster() async throws {
        try await withCluster { _, cluster in
            let inventory = InventoryStore(redis: cluster)
            let skus = (0..<6).map { "CL-\($0)" }
            let masters = Set(await skus.asyncMap { await cluster.master(of: RedisKeys.stock($0)) })
            #expect(masters.count >= 2, "the SKUs spread over several masters")
            try await inventory.set(skus.map { StockSetting(sku: $0, available: 5) })

            #expect(try await inventory.reserve(orderID: "o1", lines: skus.map { ($0, 2) }) == .reserved(lowStock: []))
            #expect(try await inventory.reserve(orderID: "o2", lines: skus.map { ($0, $0 == "CL-5" ? 4 : 1) })
                == .short(skus: ["CL-5"]))
            for sku in skus {
                let levels = try #require(try await inventory.levels(sku: sku))
                #expect((levels.available, levels.reserved, levels.held) == (3, 2, 2), "\(sku): o2 compensated")
            }
            #expect(try await inventory.commit(orderID: "o1", skus: skus) == Dictionary(uniqueKeysWithValues: skus.map { ($0, 2) }))
            #expect(try await inventory.levels(sku: "CL-0")?.reserved == 0)

            let orders = OrderStore(redis: cluster)
            let time = Date(timeIntervalSince1970: 1_795_341_600)
            #expect(try await orders.create(orderID: "o1", channel: "web", document: Array("{}".utf8),
                                            contentHash: "h", at: time, stage: "capture") == .created)
            let moved = try await orders.transition(orderID: "o1", to: .confirmed, stage: "capture", note: "", at: time)
            #expect(moved == .applied(from: .received, version: 2))
            #expect(try await orders.history(orderID: "o1").map(\.to) == [.received, .confirmed])
            #expect(try await orders.reportCounters()[.entered(.confirmed)] == 1)
        }
    }
}

@Suite("Redis Cluster: what a write waits for before it returns")
struct RedisClusterDurabilityTests {
    @Test("reservations and commits wait for the replica (WAIT 1): what it costs, and a replica lost costs the timeout")
    func waitCost() async throws {
        try await ClusterServers.with(["redis"]) { servers in
            let seeds = try RedisConnector.urls(servers.redisURL)
            let plain = try await RedisCluster.connect(seeds: seeds, durability: .none)
            let waiting = try await RedisCluster.connect(seeds: seeds)
            let sku = "WAIT-1"
            try await InventoryStore(redis: plain).set(sku: sku, available: 10_000)

            let withoutWait = try await Self.reserveAndCommit(InventoryStore(redis: plain), sku: sku, prefix: "a")
            let withWait = try await Self.reserveAndCommit(InventoryStore(redis: waiting), sku: sku, prefix: "b")
            print("reserve + commit, 200 orders one after another: \(withoutWait / 200) each without WAIT, "
                  + "\(withWait / 200) with WAIT 1")
            #expect(await waiting.unreplicatedWrites == 0)

            // The replica of the SKU's master gone: each step waits the timeout, then goes on.
            let master = try #require(await waiting.master(of: RedisKeys.stock(sku)))
            let replica = try #require(try await Self.replicaPort(of: master, in: plain))
            try servers.kill(port: replica)
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            #expect(try await InventoryStore(redis: waiting).reserve(orderID: "c", lines: [(sku, 1)])
                == .reserved(lowStock: []))
            let lonely = ContinuousClock.now - start
            print("reserve with the replica gone: \(lonely)")
            #expect(lonely >= RedisDurability.clusterDefault.timeout)
            #expect(await waiting.unreplicatedWrites == 1)
            #expect(try await InventoryStore(redis: plain).levels(sku: sku)?.reserved == 1)
            await plain.close()
            await waiting.close()
        }
    }

    @Test("a replica connected but behind (SIGSTOP): the step waits its patience, then fails as NOREPLICAS; caught up, the step again succeeds once")
    func laggingReplica() async throws {
        try await ClusterServers.with(["redis"]) { servers in
            let seeds = try RedisConnector.urls(servers.redisURL)
            let plain = try await RedisCluster.connect(seeds: seeds, durability: .none)
            let patience = Duration.seconds(1)
            let waiting = try await RedisCluster.connect(
                seeds: seeds, durability: RedisDurability(replicas: 1, timeout: .milliseconds(100), patience: patience))
            let sku = "LAG-1"
            try await InventoryStore(redis: plain).set(sku: sku, available: 10)
            let master = try #require(await waiting.master(of: RedisKeys.stock(sku)))
            let replica = try #require(try await Self.replicaPort(of: master, in: plain))

            try servers.signal(SIGSTOP, port: replica)
            defer { try? servers.signal(SIGCONT, port: replica) }
            let start = ContinuousClock.now
            let refused = await #expect(throws: RedisError.self) {
                try await InventoryStore(redis: waiting).reserve(orderID: "o1", lines: [(sku, 1)])
            }
            #expect(ContinuousClock.now - start >= patience)
            #expect(refused?.kind == .server && refused?.message.hasPrefix("NOREPLICAS") == true, "\(String(describing: refused))")
            #expect(refused?.isRefusal == false, "a worker retries it rather than dead-letter it")

            try servers.signal(SIGCONT, port: replica)
            #expect(try await InventoryStore(redis: waiting).reserve(orderID: "o1", lines: [(sku, 1)])
                == .reserved(lowStock: []))
            #expect(try await InventoryStore(redis: plain).levels(sku: sku)?.reserved == 1, "held once")
            #expect(await waiting.unreplicatedWrites == 0, "never went on with the replica behind")
            await plain.close()
            await waiting.close()
        }
    }

    private static func reserveAndCommit(_ store: InventoryStore, sku: String, prefix: String) async throws -> Duration {
        let start = ContinuousClock.now
        for index in 0..<200 {
            let order = "\(prefix)\(index)"
            #expect(try await store.reserve(orderID: order, lines: [(sku, 1)]) == .reserved(lowStock: []))
            #expect(try await store.commit(orderID: order, skus: [sku]) == [sku: 1])
        }
        return ContinuousClock.now - start
    }

    /// The port of the master's replica, from ROLE on the master.
    private static func replicaPort(of master: ClusterNode, in cluster: RedisCluster) async throws -> Int? {
        let role = try await cluster.send(RedisCommand("ROLE"), to: master).array ?? []
        return role.count > 2 ? role[2].array?.first?.array?[1].string.flatMap { Int($0) } : nil
    }
}

private extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
