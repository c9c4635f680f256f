import RedisClient
import Testing

@Suite("Redis client against the local server")
struct RedisClientIntegrationTests {
    @Test("1,000 pipelined SET, INCR and GET come back in order with their values")
    func pipelineOrder() async throws {
        let redis = try await RedisTestSupport.connect()
        let prefix = RedisTestSupport.uniqueKey("pipeline")
        let keys = (0..<334).map { "\(prefix):\($0)" }
        var commands: [RedisCommand] = []
        var expected: [RedisReply] = []
        for (index, key) in keys.enumerated() {
            commands += [RedisCommand("SET", key, index), RedisCommand("INCR", key), RedisCommand("GET", key)]
            expected += [.status("OK"), .integer(Int64(index + 1)), RedisTestSupport.bytes("\(index + 1)")]
        }
        commands.append(RedisCommand("DEL", arguments: keys))
        expected.append(.integer(Int64(keys.count)))

        #expect(try await redis.pipeline(commands) == expected)
        await redis.close()
    }

    @Test("an error reply stays in its place in a pipeline, and the rest still run")
    func pipelineErrorInPlace() async throws {
        let redis = try await RedisTestSupport.connect()
        let key = RedisTestSupport.uniqueKey("pipeline-error")
        let replies = try await redis.pipeline([
            RedisCommand("SET", key, "text"), RedisCommand("INCR", key), RedisCommand("GET", key),
            RedisCommand("DEL", key),
        ])
        #expect(replies.count == 4)
        #expect(replies[0] == .status("OK"))
        #expect(replies[1].errorMessage?.hasPrefix("ERR value is not an integer") == true)
        #expect(replies[2] == RedisTestSupport.bytes("text"))
        #expect(replies[3] == .integer(1))
        await redis.close()
    }

    @Test("send throws an error reply as a server error naming the command; the connection stays usable")
    func sendThrowsServerError() async throws {
        let redis = try await RedisTestSupport.connect()
        let key = RedisTestSupport.uniqueKey("server-error")
        try await redis.send(RedisCommand("SET", key, "secret-value", "EX", 60))
        let error = await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("INCR", key)) }
        #expect(error?.kind == .server)
        #expect(error?.command == "INCR")
        #expect(error?.description.hasPrefix("INCR failed: ERR value is not an integer") == true)
        #expect(error?.description.contains("secret-value") == false)
        #expect(try await redis.send(RedisCommand("PING")) == .status("PONG"))
        try await redis.send(RedisCommand("DEL", key))
        await redis.close()
    }

    @Test("bytes 0...255, NUL and CRLF included, round-trip in keys, fields and values")
    func binarySafe() async throws {
        let redis = try await RedisTestSupport.connect()
        let value = (0...255).map(UInt8.init)
        let key = Array(RedisTestSupport.uniqueKey("binary").utf8) + [0, 13, 10, 255]
        let hash = Array(RedisTestSupport.uniqueKey("binary-hash").utf8) + [0]
        let field: [UInt8] = [13, 10, 0, 36, 42]
        let replies = try await redis.pipeline([
            RedisCommand("SET", key, value), RedisCommand("GET", key), RedisCommand("STRLEN", key),
            RedisCommand("HSET", hash, field, value), RedisCommand("HGET", hash, field),
            RedisCommand("DEL", key, hash),
        ])
        #expect(replies == [
            .status("OK"), .string(value), .integer(256), .integer(1), .string(value), .integer(2),
        ])
        await redis.close()
    }

    @Test("nested arrays, nils, integers and statuses convert to the matching replies")
    func replyShapes() async throws {
        let redis = try await RedisTestSupport.connect()
        let source = "return {1, 'two', {3, false}, redis.status_reply('FINE')}"
        #expect(try await redis.send(RedisCommand("EVAL", source, 0)) == .array([
            .integer(1), RedisTestSupport.bytes("two"), .array([.integer(3), .null]), .status("FINE"),
        ]))
        let missing = RedisTestSupport.uniqueKey("missing")
        #expect(try await redis.send(RedisCommand("GET", missing)) == .null)
        #expect(try await redis.send(RedisCommand("HMGET", missing, "a", "b")) == .array([.null, .null]))
        #expect(try await redis.send(RedisCommand("LRANGE", missing, 0, -1)) == .array([]))
        await redis.close()
    }

    @Test("concurrent callers are served one at a time: 1,000 INCRs from 20 tasks add up")
    func concurrentCallers() async throws {
        let redis = try await RedisTestSupport.connect()
        let key = RedisTestSupport.uniqueKey("concurrent")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    for _ in 0..<50 { try await redis.send(RedisCommand("INCR", key)) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await redis.send(RedisCommand("GET", key)).int == 1_000)
        try await redis.send(RedisCommand("DEL", key))
        await redis.close()
    }

    @Test("concurrent callers each get their own replies, pipelines and single commands alike")
    func concurrentRepliesMatch() async throws {
        let redis = try await RedisTestSupport.connect()
        let prefix = RedisTestSupport.uniqueKey("own")
        let mismatches = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<20 {
                group.addTask {
                    var wrong: [String] = []
                    for round in 0..<25 {
                        let key = "\(prefix):\(task):\(round)"
                        let replies = try await redis.pipeline([
                            RedisCommand("SET", key, "value \(task) \(round)"), RedisCommand("GET", key),
                            RedisCommand("ECHO", "\(task)-\(round)"),
                        ])
                        let echoed = try await redis.send(RedisCommand("ECHO", key)).string
                        if replies != [.status("OK"), RedisTestSupport.bytes("value \(task) \(round)"),
                                       RedisTestSupport.bytes("\(task)-\(round)")] || echoed != key {
                            wrong.append(key)
                        }
                    }
                    return wrong
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(mismatches.isEmpty, "replies handed to the wrong caller: \(mismatches.prefix(5))")
        let keys = try await redis.send(RedisCommand("KEYS", "\(prefix):*")).array ?? []
        if !keys.isEmpty { try await redis.send(RedisCommand("DEL", arguments: keys.compactMap(\.string))) }
        await redis.close()
    }

    @Test("a command with no reply in time throws timeout; the next one gets a fresh connection")
    func commandTimeout() async throws {
        let redis = try await RedisTestSupport.connect(commandTimeout: .milliseconds(300))
        let key = RedisTestSupport.uniqueKey("timeout")
        let start = ContinuousClock.now
        // BLPOP would wait 30 s; the 300 ms command timeout must end it long before.
        let error = await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("BLPOP", key, 30)) }
        #expect(ContinuousClock.now - start < TestBounds.failsFast)
        #expect(error?.kind == .timeout)
        #expect(error?.command == "BLPOP")
        // Reusing the old context would read BLPOP's late nil here instead.
        #expect(try await redis.send(RedisCommand("ECHO", "fresh")) == RedisTestSupport.bytes("fresh"))
        await redis.close()
    }

    @Test("after close every command throws closed")
    func closed() async throws {
        let redis = try await RedisTestSupport.connect()
        await redis.close()
        let error = await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("PING")) }
        #expect(error?.kind == .closed)
        #expect(error?.description == "PING: the Redis connection was closed")
        await redis.close()
    }
}
