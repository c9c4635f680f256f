import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import RedisClient
import Supervision
import Testing
import TestSupport

/// The workers in a network namespace of their own, reaching RabbitMQ and
/// Redis over a veth pair each (PartitionedNetwork); a link taken down for
/// 20 s is a partition from that server alone.
@Suite("Guarantee: a partition from the broker or from Redis loses nothing")
struct PartitionTests {
    @Test("600 orders through capture, payment, pick and ship; the broker cut off for 20 s, later Redis: each completes once, no worker exits")
    func partitionsUnderLoad() async throws {
        let pipeline = try await PipelineHarness.start("partition")
        let network = try await PartitionedNetwork.start([
            "amqp": try AMQPURL(pipeline.amqpURL).port, "redis": try RedisURL(pipeline.redisURL).port,
        ], relay: Checkout.script("tcp-relay"))
        do {
            try await flowThroughPartitions(pipeline, network)
        } catch {
            await network.stop()
            throw error
        }
        await network.stop()
    }

    private func flowThroughPartitions(_ pipeline: PipelineHarness, _ network: PartitionedNetwork) async throws {
        let (ids, sku) = try await FulfilmentRedeliveryTests.orders(600, pipeline)
        // Paced as ServerRestartTests (about 20 orders/s), so that each
        // partition meets orders on their way; retries that outlast 20 s.
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: FulfilmentTests.documentsFolder())
            .merging([
                "OMS_GATEWAY_LATENCY_MS": "100", "OMS_PREFETCH": "4", "OMS_RETRY_DELAYS_MS": "2000,4000,8000,16000,32000",
                "OMS_AMQP_URL": network.url(WorkerAccount.signedIn(pipeline.amqpURL), through: "amqp"),
                "OMS_REDIS_URL": network.url(WorkerAccount.signedIn(pipeline.redisURL), through: "redis"),
            ]) { _, new in new }
        let workers = try [Stage.capture, .payment, .pick, .ship].map {
            try pipeline.startWorker($0, environment: environment, prefix: network.commandPrefix)
        }

        for (server, shippedBefore) in [("amqp", 100), ("redis", 350)] {
            try #require(try await FulfilmentRedeliveryTests.shipped(atLeast: shippedBefore, ids, pipeline),
                         "logs in \(pipeline.logDirectory)")
            try await network.link(server, up: false)
            try await Task.sleep(for: .seconds(20))
            try await network.link(server, up: true)
            #expect(try await FulfilmentRedeliveryTests.shippedCount(ids, pipeline) < ids.count,
                    "orders were still flowing when the \(server) partition healed")
        }
        try await FulfilmentRedeliveryTests.expectAllShippedOnce(ids, sku: sku, pipeline)
        for worker in workers {
            #expect(worker.isRunning, "\(worker.stage) exited; see \(worker.logPath)")
        }
        let logs = workers.map(\.log).joined()
        #expect(logs.contains("heartbeat timeout"), "the broker partition was noticed by missed heartbeats")
        #expect(logs.contains("no reply from Redis"), "the Redis partition was noticed by the command timeout")
        await pipeline.stop(workers)
    }
}
