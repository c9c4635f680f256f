import RedisClient
import Testing

/// On a private server: SCRIPT FLUSH on the shared one would pull scripts
/// from under the tests running beside these.
@Suite("Redis scripts by SHA")
struct RedisScriptTests {
    static let incrementBy = RedisScript(name: "increment_by", source: "return redis.call('INCRBY', KEYS[1], ARGV[1])")
    static let echoArguments = RedisScript(name: "echo_arguments", source: "return ARGV")

    @Test("EVALSHA after SCRIPT FLUSH loads the script again and runs it once")
    func singleAfterFlush() async throws {
        let server = try await RedisPrivateServer.start()
        defer { server.stop() }
        let redis = try await RedisConnection.connect(url: RedisURL(server.url))
        #expect(try await redis.evalSHA(Self.incrementBy, keys: ["n"], arguments: [5]) == .integer(5))
        #expect(try await redis.send(RedisCommand("SCRIPT", "FLUSH")) == .status("OK"))
        #expect(try await redis.evalSHA(Self.incrementBy, keys: ["n"], arguments: [5]) == .integer(10))
        #expect(try await redis.send(RedisCommand("GET", "n")).int == 10, "the script ran exactly once")
        await redis.close()
    }

    @Test("after a server restart, a pipeline's script steps still run in the order they were sent")
    func orderKeptAfterRestart() async throws {
        let server = try await RedisPrivateServer.start()
        defer { server.stop() }
        let redis = try await RedisConnection.connect(url: RedisURL(server.url))
        let append = RedisScript(name: "append", source: "return redis.call('RPUSH', KEYS[1], ARGV[1])")
        try await redis.evalSHA(append, keys: ["warm-up"], arguments: ["x"])
        try await server.restart()
        _ = try? await redis.send(RedisCommand("PING"))
        _ = try await redis.pipeline([
            .evalSHA(append, keys: ["steps"], arguments: ["first"]),
            RedisCommand("RPUSH", "steps", "second"),
            .evalSHA(append, keys: ["steps"], arguments: ["third"]),
        ])
        let steps = try await redis.send(RedisCommand("LRANGE", "steps", 0, -1))
        #expect(steps == .array(["first", "second", "third"].map { .string(Array($0.utf8)) }))
        await redis.close()
    }

    @Test("pipelined EVALSHAs after SCRIPT FLUSH: just the scripts run again, replies stay in place")
    func pipelinedAfterFlush() async throws {
        let server = try await RedisPrivateServer.start()
        defer { server.stop() }
        let redis = try await RedisConnection.connect(url: RedisURL(server.url))
        try await redis.evalSHA(Self.incrementBy, keys: ["warm-up"], arguments: [1])
        try await redis.evalSHA(Self.echoArguments)
        try await redis.send(RedisCommand("SCRIPT", "FLUSH"))

        let replies = try await redis.pipeline([
            .evalSHA(Self.incrementBy, keys: ["a"], arguments: [1]),
            RedisCommand("INCR", "b"),
            .evalSHA(Self.incrementBy, keys: ["a"], arguments: [10]),
            .evalSHA(Self.echoArguments, arguments: ["x", [0, 13, 10] as [UInt8]]),
            RedisCommand("GET", "a"),
        ])
        #expect(replies == [
            .integer(1), .integer(1), .integer(11), .array([.string(Array("x".utf8)), .string([0, 13, 10])]),
            // Ran in the first round trip, before the scripts ran again.
            .null,
        ])
        let after = try await redis.pipeline([RedisCommand("GET", "a"), RedisCommand("GET", "b")])
        #expect(after.map(\.int) == [11, 1], "every entry ran exactly once")
        await redis.close()
    }

    @Test("a script that does not compile throws a server error naming it; the connection stays usable")
    func brokenScript() async throws {
        let server = try await RedisPrivateServer.start()
        defer { server.stop() }
        let redis = try await RedisConnection.connect(url: RedisURL(server.url))
        let broken = RedisScript(name: "broken", source: "return (")
        let error = await #expect(throws: RedisError.self) { try await redis.evalSHA(broken) }
        #expect(error?.kind == .server)
        #expect(error?.command == "SCRIPT LOAD broken")
        #expect(try await redis.evalSHA(Self.echoArguments, arguments: ["ok"]) == .array([.string(Array("ok".utf8))]))
        await redis.close()
    }
}
