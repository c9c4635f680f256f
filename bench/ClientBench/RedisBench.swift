import RedisClient

struct RedisBench {
    /// The same script `bench/clients/run` loads for redis-benchmark.
    static let script = RedisScript(name: "bench-incr", source: "return redis.call('INCRBY', KEYS[1], ARGV[1])")

    let url: RedisURL

    /// EVALSHA calls in pipelines of `pipeline`: calls per second.
    func evalSHA(calls: Int, pipeline: Int) async throws -> Double {
        let redis = try await RedisConnection.connect(url: url)
        let key = "bench:clients:swift"
        _ = try await redis.send(RedisCommand("DEL", key))
        _ = try await redis.evalSHA(Self.script, keys: [key], arguments: [0])
        let batch = [RedisCommand](repeating: .evalSHA(Self.script, keys: [key], arguments: [1]), count: pipeline)
        let clock = ContinuousClock()
        let started = clock.now
        var done = 0
        while done < calls {
            let replies = try await redis.pipeline(Array(batch.prefix(calls - done)))
            if let error = replies.first(where: { $0.errorMessage != nil }) { throw BenchFailure("\(error)") }
            done += replies.count
        }
        let rate = perSecond(calls, clock.now - started)
        guard try await redis.send(RedisCommand("GET", key)).string == "\(calls)" else {
            throw BenchFailure("the counter does not match the calls made")
        }
        _ = try await redis.send(RedisCommand("DEL", key))
        await redis.close()
        return rate
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
