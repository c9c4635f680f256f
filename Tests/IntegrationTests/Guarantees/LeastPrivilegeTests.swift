import AMQPClient
import Foundation
import OMSContract
import RedisClient
import Testing

/// The workers run as `oms-worker` (scripts/services makes the account on
/// every server; PipelineHarness starts every worker with it), so each
/// pipeline test shows the account is enough. These show it is no more.
@Suite("Guarantee: the workers' account can reach only what the workers use")
struct LeastPrivilegeTests {
    @Test("on Redis: oms:* keys and the workers' commands; other keys, FLUSHALL, CONFIG and KEYS refused")
    func redisAccount() async throws {
        let redis = try await RedisTestSupport.connect(url: WorkerAccount.signedIn(TestServers.redisURL))
        let key = "oms:test:privilege:\(UUID().uuidString.prefix(8))"
        _ = try await redis.send(RedisCommand("HSET", key, "field", "1"))
        #expect(try await redis.send(RedisCommand("HGET", key, "field")).string == "1")
        _ = try await redis.send(RedisCommand("DEL", key))
        let refused = [
            RedisCommand("SET", "other:\(key)", "1"), RedisCommand("FLUSHALL"),
            RedisCommand("CONFIG", "SET", "maxmemory", "1"), RedisCommand("KEYS", "*"),
        ]
        for command in refused {
            let error = await #expect(throws: RedisError.self) { try await redis.send(command) }
            #expect(error?.kind == .permission, "\(command.name): \(String(describing: error))")
            #expect(error?.isRefusal == false, "a missing grant is retried, not dead-lettered")
        }
        #expect(try await RedisTestSupport.connect().send(RedisCommand("EXISTS", "other:\(key)")) == .integer(0))
        await redis.close()
    }

    @Test("on RabbitMQ: the oms.* topology, and nothing outside it")
    func brokerAccount() async throws {
        let pipeline = try await PipelineHarness.start("privilege")
        let worker = try await AMQPTestSupport.connect(url: WorkerAccount.signedIn(pipeline.amqpURL))
        try await worker.declare(Topology.declaration())
        let declared = await #expect(throws: AMQPError.self) {
            try await worker.declare(AMQPTopology(queues: [AMQPTestSupport.quorumQueue("not-oms.queue")]))
        }
        #expect(declared?.description.contains("ACCESS_REFUSED") == true, "\(String(describing: declared))")
        await worker.close()
        await pipeline.stop([])
    }

    @Test("no password in a worker's arguments or its log")
    func passwordNeverShown() async throws {
        let pipeline = try await PipelineHarness.start("secret")
        let worker = try pipeline.startWorker(.capture, environment: ["OMS_LOG_LEVEL": "debug"])
        #expect(try await pipeline.wait(timeout: .seconds(30)) { worker.log.contains("oms-worker:***@") },
                "the worker logs where it connects, password hidden")
        let arguments = try String(contentsOfFile: "/proc/\(worker.pid)/cmdline", encoding: .utf8)
        #expect(!arguments.contains(WorkerAccount.password))
        #expect(!worker.log.contains(":\(WorkerAccount.password)@"))
        await pipeline.stop([worker])
    }
}
