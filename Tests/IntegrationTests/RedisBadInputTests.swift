import RedisClient
import Supervision
import Testing

/// The time bounds here separate failing at once from hanging until a long
/// timeout; in a parallel run on two cores, the scheduling of other tests adds
/// seconds, so they are generous.
@Suite("Redis client: bad input gives clear errors, fast, without crashing")
struct RedisBadInputTests {
    @Test("a malformed URL says what is wrong")
    func malformedURL() {
        let error = #expect(throws: RedisError.self) { try RedisURL("redis://:hunter2@127.0.0.1:99999/0") }
        #expect(error?.kind == .invalidURL)
        #expect(error?.description.contains("bad port '99999'") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test("a closed port: connection refused, and how to start the server")
    func closedPort() async throws {
        let port = try LocalPorts.free(1)[0]
        let start = ContinuousClock.now
        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection.connect(url: RedisURL("redis://127.0.0.1:\(port)/0"))
        }
        #expect(ContinuousClock.now - start < TestBounds.failsFast)
        #expect(error?.kind == .unreachable)
        #expect(error?.description == "cannot connect to Redis at 127.0.0.1:\(port): Connection refused "
                    + "— is redis-server running? (scripts/services up)")
    }

    @Test("a wrong password, with or without a user, is refused as such; no password asks for one")
    func wrongPassword() async throws {
        let server = try await RedisPrivateServer.start(["--requirepass", "right-secret"])
        defer { server.stop() }
        let base = "127.0.0.1:\(server.port)/0"
        for url in ["redis://:wrong-secret@\(base)", "redis://default:wrong-secret@\(base)"] {
            let start = ContinuousClock.now
            let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(url: RedisURL(url)) }
            #expect(ContinuousClock.now - start < TestBounds.failsFast)
            #expect(error?.kind == .authentication)
            #expect(error?.command == "AUTH")
            #expect(error?.description.contains("refused the credentials (WRONGPASS") == true)
            #expect(error?.description.contains("secret") == false)
        }

        let missing = await #expect(throws: RedisError.self) {
            try await RedisConnection.connect(url: RedisURL("redis://\(base)"))
        }
        #expect(missing?.kind == .authentication)
        #expect(missing?.description.contains("requires a password") == true)

        let redis = try await RedisConnection.connect(url: RedisURL("redis://:right-secret@\(base)"))
        #expect(try await redis.send(RedisCommand("PING")) == .status("PONG"))
        await redis.close()
    }

    @Test("a database the server does not have is refused by SELECT")
    func badDatabase() async throws {
        try await RedisTestSupport.connect().close()
        var url = try RedisURL(TestServers.redisURL)
        url.database = 9_999
        let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(url: url) }
        #expect(error?.kind == .server)
        #expect(error?.description == "SELECT failed: ERR DB index is out of range")
    }
}
