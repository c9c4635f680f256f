import OMSContract
import OMSStore
import RedisClient
import Testing
import WorkerRuntime

@Suite("Guarantee: a retried message is handled as what it was")
struct RetryTests {
    @Test("a restock that fails on Redis is retried through the delay queues and applied under its own routing key")
    func retriedUnderItsRoutingKey() async throws {
        let pipeline = try await PipelineHarness.start("retrykey")
        let sku = TestOrders.sku("RETRY")
        // HINCRBY on a non-integer fails: restock.lua writes nothing and capture retries.
        try await pipeline.redis.send(RedisCommand("HSET", RedisKeys.stock(sku), "available", "broken"))
        let capture = try pipeline.startWorker(.capture)
        try await pipeline.publish("stock.restocked", json: #"{"sku": "\#(sku)", "quantity": 3, "restock_id": "r1"}"#)
        #expect(try await pipeline.wait(timeout: .seconds(20), every: .milliseconds(10)) {
            capture.log.contains("retrying later")
        })
        try await pipeline.inventory.set(sku: sku, available: 5)
        #expect(try await pipeline.wait(timeout: .seconds(20)) {
            try await pipeline.inventory.levels(sku: sku)?.available == 8
        }, "the retried restock was applied")
        #expect(try await pipeline.amqp.inspect(queue: Topology.dead).messages == 0,
                "no retry was dead-lettered as an unknown routing key")
        #expect(capture.isRunning)
        await pipeline.stop([capture])
    }
}
