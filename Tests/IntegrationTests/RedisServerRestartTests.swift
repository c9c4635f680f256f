import RedisClient
import Synchronization
import Testing

@Suite("Redis client survives a server restart")
struct RedisServerRestartTests {
    @Test("restart mid-loop: at most the interrupted command fails, as connectionLost; data written before is kept")
    func restartDuringLoop() async throws {
        let server = try await RedisPrivateServer.start(["--appendonly", "yes"])
        defer { server.stop() }
        let redis = try await RedisConnection.connect(url: RedisURL(server.url), commandTimeout: .seconds(2),
                                                      reconnectTimeout: .seconds(10))
        let iterations = Atomic<Int>(0)
        let restarted = Atomic<Bool>(false)
        let restart = Task {
            while iterations.load(ordering: .relaxed) < 300 { try await Task.sleep(for: .milliseconds(1)) }
            try await server.restart()
            restarted.store(true, ordering: .relaxed)
        }

        var written: [Int] = []
        var failures: [(index: Int, error: RedisError)] = []
        var afterRestart = 0
        var index = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while afterRestart < 300, ContinuousClock.now < deadline {
            do {
                let value = try await Self.writeAndRead(index, on: redis)
                #expect(value == "value \(index)")
                written.append(index)
            } catch {
                failures.append((index, error))
            }
            index += 1
            iterations.store(index, ordering: .relaxed)
            if restarted.load(ordering: .relaxed) { afterRestart += 1 }
        }
        if !restarted.load(ordering: .relaxed) { restart.cancel() }  // the loop ended before its 300th command
        try await restart.value
        #expect(afterRestart == 300, "300 commands after the restart, before the deadline")

        // One failure when the restart cuts a command off; none when it falls
        // between two and the idle connection notices the close first.
        #expect(failures.count <= 1, "\(failures.map { "#\($0.index): \($0.error)" })")
        if let failure = failures.first {
            #expect(failure.error.kind == .connectionLost)
            #expect(["SET", "GET"].contains(failure.error.command))
            #expect(failure.error.description.contains("connection to Redis at 127.0.0.1:\(server.port) lost"))
            #expect(written.contains { $0 < failure.index }, "the restart came mid-loop")
            #expect(written.contains { $0 > failure.index }, "commands after the failure succeed")
        }
        let stored = try await redis.pipeline(written.map { RedisCommand("GET", "key:\($0)") })
        #expect(stored == written.map { RedisTestSupport.bytes("value \($0)") }, "writes before the restart survive")
        await redis.close()
    }

    private static func writeAndRead(_ index: Int, on redis: RedisConnection) async throws(RedisError) -> String? {
        try await redis.send(RedisCommand("SET", "key:\(index)", "value \(index)"))
        return try await redis.send(RedisCommand("GET", "key:\(index)")).string
    }

    @Test("with the server gone for good, the call it interrupts fails and the next gives up after the reconnect timeout")
    func serverGone() async throws {
        let server = try await RedisPrivateServer.start()
        defer { server.stop() }
        let redis = try await RedisConnection.connect(url: RedisURL(server.url), reconnectTimeout: .milliseconds(500))
        // Megabytes going out when the server dies: the writes after the
        // peer's reset raise SIGPIPE, which must not end the process.
        let writer = Task { () async -> RedisError? in
            for _ in 0..<100 {
                do throws(RedisError) {
                    try await redis.send(RedisCommand("SET", "big", [UInt8](repeating: 42, count: 16 << 20)))
                } catch {
                    return error
                }
            }
            return nil
        }
        try await Task.sleep(for: .milliseconds(200))
        server.stop()
        let lost = await writer.value
        #expect(lost?.kind == .connectionLost || lost?.kind == .unreachable, "\(String(describing: lost))")
        #expect(lost?.command == "SET")

        let start = ContinuousClock.now
        let unreachable = await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("PING")) }
        let waited = ContinuousClock.now - start
        #expect(unreachable?.kind == .unreachable)
        #expect(unreachable?.command == "PING")
        #expect(unreachable?.description.contains("is redis-server running?") == true)
        #expect(waited >= .milliseconds(450) && waited < .seconds(10), "waited \(waited)")
        await redis.close()
    }
}
