import Testing
@testable import RedisClient

@Suite("Redis Cluster routing without a server")
struct ClusterRoutingTests {
    static let nodeA = ClusterNode(host: "127.0.0.1", port: 7101)
    static let nodeB = ClusterNode(host: "127.0.0.1", port: 7102)

    static func node(_ host: String, _ port: Int) -> RedisReply {
        .array([.string(Array(host.utf8)), .integer(Int64(port)), .string(Array("id".utf8))])
    }

    /// Slots 0-8191 on A (replica on B), 8192-16383 on B.
    static let slotsReply = RedisReply.array([
        .array([.integer(0), .integer(8191), node("127.0.0.1", 7101), node("127.0.0.1", 7102)]),
        .array([.integer(8192), .integer(16383), node("", 7102)]),
    ])

    @Test("CLUSTER SLOTS: each range to its master, the replicas ignored, an empty host is the node asked")
    func slotMap() throws {
        let map = try ClusterSlotMap(slotsReply: Self.slotsReply, answeredBy: Self.nodeB)
        #expect(map.owner(of: 0) == Self.nodeA)
        #expect(map.owner(of: 8191) == Self.nodeA)
        #expect(map.owner(of: 8192) == Self.nodeB)
        #expect(map.owner(of: 16383) == Self.nodeB)
        #expect(map.masters == [Self.nodeA, Self.nodeB])
        #expect(map.coversEverySlot)
    }

    @Test("a map with a slot unserved says so; a MOVED reassigns one slot")
    func partialMap() throws {
        var map = try ClusterSlotMap(slotsReply: .array([Self.slotsReply.array![0]]), answeredBy: Self.nodeA)
        #expect(!map.coversEverySlot)
        #expect(map.owner(of: 9000) == nil)
        map.assign(9000...9000, to: Self.nodeB)
        #expect(map.owner(of: 9000) == Self.nodeB)
        #expect(map.owner(of: 9001) == nil)
    }

    @Test("an unreadable CLUSTER SLOTS reply is a protocol error")
    func unreadableMap() {
        #expect(throws: RedisError.self) {
            try ClusterSlotMap(slotsReply: .array([.array([.integer(5), .integer(2), Self.node("h", 1)])]),
                               answeredBy: Self.nodeA)
        }
        #expect(throws: RedisError.self) { try ClusterSlotMap(slotsReply: .status("OK"), answeredBy: Self.nodeA) }
    }

    @Test("MOVED, ASK, TRYAGAIN and CLUSTERDOWN read from error replies; others are final")
    func redirects() {
        #expect(ClusterReply(.error("MOVED 3999 127.0.0.1:6381")) == .moved(slot: 3999, to: .init(host: "127.0.0.1", port: 6381)))
        #expect(ClusterReply(.error("ASK 3999 10.0.0.2:7000")) == .ask(slot: 3999, to: .init(host: "10.0.0.2", port: 7000)))
        #expect(ClusterReply(.error("MOVED 12 ::1:7001")) == .moved(slot: 12, to: .init(host: "::1", port: 7001)))
        #expect(ClusterReply(.error("TRYAGAIN Multiple keys request during rehashing of slot")) == .retryLater)
        #expect(ClusterReply(.error("CLUSTERDOWN The cluster is down")) == .retryLater)
        #expect(ClusterReply(.error("MOVED 99999 127.0.0.1:6381")) == .final)
        #expect(ClusterReply(.error("ERR wrong number of arguments")) == .final)
        #expect(ClusterReply(.integer(1)) == .final)
    }

    @Test("a script's keys are its numkeys arguments; most commands' key is the first argument")
    func commandKeys() {
        let script = RedisScript(name: "reserve", source: "return 1")
        let eval = RedisCommand.evalSHA(script, keys: ["oms:stock:{A}", "oms:stock:{A}:holds"], arguments: ["o1", 2])
        #expect(CommandSlot.keys(of: eval) == [Array("oms:stock:{A}".utf8), Array("oms:stock:{A}:holds".utf8)])
        #expect(CommandSlot.keys(of: RedisCommand("HGET", "k", "f")) == [Array("k".utf8)])
        #expect(CommandSlot.keys(of: RedisCommand("DEL", "a", "b")) == [Array("a".utf8), Array("b".utf8)])
        #expect(CommandSlot.keys(of: RedisCommand("INFO", "memory")).isEmpty)
        #expect(CommandSlot.keys(of: RedisCommand("EVALSHA", "abc", 1, "k", "v")) == [Array("k".utf8)])
    }

    @Test("a script over keys of two slots is refused, naming the keys")
    func crossSlotScript() throws {
        let script = RedisScript(name: "mixed", source: "return 1")
        let command = RedisCommand.evalSHA(script, keys: ["oms:order:{o1}", "oms:stock:{MUG}"])
        let error = try #require(throws: RedisError.self) { try ClusterBatch([RedisCommand("PING"), command]) }
        #expect(error.kind == .crossSlot)
        #expect(error.command == "EVALSHA mixed")
        #expect(error.message.contains("oms:order:{o1} (slot \(HashSlot.of("o1")))"))
        #expect(error.message.contains("oms:stock:{MUG} (slot \(HashSlot.of("MUG")))"))
    }

    @Test("MULTI … EXEC stays one unit with its keys' slot; a transaction over two slots is refused")
    func transactions() throws {
        let batch = try ClusterBatch([
            RedisCommand("GET", "a"), RedisCommand("MULTI"), RedisCommand("HMGET", "x{s}", "f"),
            RedisCommand("HVALS", "y{s}"), RedisCommand("EXEC"), RedisCommand("PING"),
        ])
        #expect(batch.units == [
            .init(range: 0..<1, slot: HashSlot.of("a")), .init(range: 1..<5, slot: HashSlot.of("s")),
            .init(range: 5..<6, slot: nil),
        ])
        #expect(throws: RedisError.self) {
            try ClusterBatch([RedisCommand("MULTI"), RedisCommand("GET", "a"), RedisCommand("GET", "b"),
                              RedisCommand("EXEC")])
        }
    }

    @Test("a pipeline splits by node in order, and replies go back in the caller's order")
    func splitAndReassemble() throws {
        let map = try ClusterSlotMap(slotsReply: Self.slotsReply, answeredBy: Self.nodeA)
        let keys = ["foo", "bar", "{user1000}.a", "baz", "qux"]
        let batch = try ClusterBatch(keys.map { RedisCommand("GET", $0) })
        let groups = ClusterBatch.split(Array(batch.units.indices)) { map.owner(of: batch.units[$0].slot!) }
        for group in groups {
            #expect(group.units == group.units.sorted())
            #expect(group.units.allSatisfy { map.owner(of: HashSlot.of(keys[$0])) == group.node })
        }
        #expect(groups.flatMap(\.units).sorted() == Array(keys.indices))
        #expect(Set(groups.map(\.node)) == [Self.nodeA, Self.nodeB])

        // Each node answers with its keys; put back by unit range, the caller's order returns.
        var replies = [RedisReply](repeating: .null, count: keys.count)
        for group in groups {
            let nodeReplies = group.units.map { RedisReply.string(Array(keys[$0].utf8)) }
            for (unit, reply) in zip(group.units, nodeReplies) {
                replies.replaceSubrange(batch.units[unit].range, with: [reply])
            }
        }
        #expect(replies.map(\.string) == keys)
    }
}
