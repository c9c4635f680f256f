import Foundation
import OMSContract
import OMSDomain
import Testing
import WorkerRuntime

@Suite("Guarantee: nothing lost when a server restarts under running workers")
struct ServerRestartTests {
    @Test("RabbitMQ, then Redis, restarted while 600 orders flow through capture, payment, pick and ship: each order completes once, no worker exits")
    func restartsUnderLoad() async throws {
        try await PrivateServers.with(["rabbitmq", "redis"], flowThroughRestarts)
    }

    private func flowThroughRestarts(_ servers: PrivateServers) async throws {
        let pipeline = try await PipelineHarness.start("restarts", servers: servers)
        let (ids, sku) = try await FulfilmentRedeliveryTests.orders(600, pipeline)
        // Payment paced to about 20 orders/s (two 100 ms gateway calls, 4 in
        // flight), so that each restart meets orders still on their way even
        // when rabbitmqctl is slow to act: on a loaded 2-core machine its
        // Erlang start-up alone has taken over 10 s, longer than 500 orders
        // took at 50 orders/s. Retries long enough to outlast a
        // restart: a handler that meets Redis away must not use up its attempts.
        let environment = try FulfilmentTests.stageEnvironment(pipeline, documents: FulfilmentTests.documentsFolder())
            .merging(["OMS_GATEWAY_LATENCY_MS": "100", "OMS_PREFETCH": "4",
                      "OMS_RETRY_DELAYS_MS": "1000,2000,4000,8000"]) { _, new in new }
        let workers = try [Stage.capture, .payment, .pick, .ship].map {
            try pipeline.startWorker($0, environment: environment)
        }

        try #require(try await FulfilmentRedeliveryTests.shipped(atLeast: 100, ids, pipeline), "logs in \(pipeline.logDirectory)")
        try await servers.rabbitmqctl("stop_app")
        try await Task.sleep(for: .seconds(1))
        try await servers.rabbitmqctl("start_app")
        #expect(try await FulfilmentRedeliveryTests.shippedCount(ids, pipeline) < ids.count, "orders were still flowing after the restart")
        try #require(try await FulfilmentRedeliveryTests.shipped(atLeast: 400, ids, pipeline), "logs in \(pipeline.logDirectory)")
        try await servers.restart("redis")
        #expect(try await FulfilmentRedeliveryTests.shippedCount(ids, pipeline) < ids.count, "orders were still flowing after the restart")
        try #require(try await FulfilmentRedeliveryTests.shipped(atLeast: ids.count, ids, pipeline), "logs in \(pipeline.logDirectory)")

        try await FulfilmentRedeliveryTests.expectAllShippedOnce(ids, sku: sku, pipeline)
        for worker in workers {
            #expect(worker.isRunning, "\(worker.stage) exited; see \(worker.logPath)")
        }
        await pipeline.stop(workers)
    }
}
