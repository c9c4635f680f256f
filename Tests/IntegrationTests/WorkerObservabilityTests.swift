import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import Supervision
import Testing
import WorkerRuntime
#if canImport(Glibc)
import Glibc
#endif

@Suite("Worker observability")
struct WorkerObservabilityTests {
    @Test("an order's trace id reaches its events; events are CloudEvents; metrics count per stage and outcome")
    func traceEventsMetrics() async throws {
        let pipeline = try await PipelineHarness.start("observe")
        let sku = TestOrders.sku("OBS")
        try await pipeline.inventory.set(sku: sku, available: 5)
        let listener = "test.events.\(pipeline.vhost.suffix(8))"
        try await pipeline.amqp.declare(AMQPTopology(queues: [.init(listener, durable: false, autoDelete: true)],
                                                     bindings: [.init(queue: listener, exchange: Topology.events,
                                                                      routingKey: "order.#")]))
        let events = await Inbox(try await pipeline.amqp.consume(queue: listener, prefetch: 10))
        let port = try LocalPorts.free(1)[0]
        let worker = try pipeline.startWorker(.capture, environment: ["OMS_METRICS_PORT": "\(port)",
                                                                      "OMS_LOG_LEVEL": "debug"])

        let id = "obs-\(pipeline.vhost.suffix(8))"
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await pipeline.amqp.publish(AMQPMessage(
            exchange: Topology.intake, routingKey: "order.place",
            body: Array(TestOrders.place(id: id, lines: [(sku, 1)]).utf8),
            headers: ["traceparent": .string("00-\(trace)-00f067aa0ba902b7-01")]))

        let received = await events.wait(for: 2)
        #expect(received.map(\.routingKey) == ["order.received", "order.confirmed"])
        for event in received {
            #expect(event.headers["traceparent"]?.string?.hasPrefix("00-\(trace)-") == true)
            let envelope = try JSONSerialization.jsonObject(with: Data(event.body)) as! [String: Any]
            #expect(envelope["specversion"] as? String == "1.0")
            #expect(envelope["source"] as? String == "oms/capture")
            #expect(envelope["subject"] as? String == id)
            #expect(envelope["type"] as? String == event.routingKey)
            #expect((envelope["traceparent"] as? String)?.hasPrefix("00-\(trace)-") == true)
            let data = envelope["data"] as! [String: Any]
            #expect(data["order_id"] as? String == id && data["channel"] as? String == "web")
        }
        let confirmed = try JSONSerialization.jsonObject(with: Data(received[1].body)) as! [String: Any]
        let confirmedData = confirmed["data"] as! [String: Any]
        #expect(confirmedData["version"] as? Int == 2)
        // The promised day: a business day, not before today (GB standard is 3 business days out).
        let promised = try #require(confirmedData["estimated_delivery"] as? String)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let day = try #require(ISO8601DateFormatter().date(from: promised + "T00:00:00Z"))
        #expect(!utc.isDateInWeekend(day) && day > Date(), "\(promised)")

        let counted = #"oms_messages_total{stage="capture",outcome="done"} 1"#
        #expect(try await pipeline.wait(timeout: .seconds(5)) { try Self.get("/metrics", port: port).contains(counted) })
        #expect(try Self.get("/metrics", port: port).contains(#"oms_handle_duration_seconds_count{stage="capture"} 1"#))
        #expect(worker.log.contains("trace_id=\(trace)"), "log lines carry the trace id")
        await pipeline.stop([worker])
    }

    @Test("the runtime's own lines name the order: a dead-lettered return carries its order_id")
    func runtimeLinesNameTheOrder() async throws {
        let pipeline = try await PipelineHarness.start("observe-id")
        let worker = try pipeline.startWorker(.return)
        let id = "missing-\(pipeline.vhost.suffix(8))"
        try await pipeline.publish(IntakeMessage.RoutingKey.orderReturn.rawValue, json: """
            {"order_id": "\(id)", "reason": "too small", "lines": [{"sku": "MUG-BLUE", "quantity": 1, "condition": "sellable"}]}
            """)
        #expect(try await pipeline.wait(timeout: .seconds(20)) {
            worker.log.split(separator: "\n").contains { $0.contains("dead-lettered") && $0.contains("order_id=\(id)") }
        }, "\(worker.log)")
        await pipeline.stop([worker])
    }

    @Test("a reservation that takes a SKU to its reorder point publishes stock.low once, not again below it")
    func stockLow() async throws {
        let pipeline = try await PipelineHarness.start("stocklow")
        let sku = TestOrders.sku("LOW")
        try await pipeline.inventory.set(sku: sku, available: 10, reorderPoint: 7)
        let listener = "test.stocklow.\(pipeline.vhost.suffix(8))"
        try await pipeline.amqp.declare(AMQPTopology(queues: [.init(listener, durable: false, autoDelete: true)],
                                                     bindings: [.init(queue: listener, exchange: Topology.events,
                                                                      routingKey: "stock.low")]))
        let alerts = await Inbox(try await pipeline.amqp.consume(queue: listener, prefetch: 10))
        let worker = try pipeline.startWorker(.capture)
        let ids = (0..<4).map { "low-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids {
            try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        }
        #expect(try await pipeline.wait {
            try await pipeline.statuses(ids).values.filter { $0 == .confirmed }.count == ids.count
        })
        // Published with its order's confirmed event, after the status moved:
        // wait for it, then a little longer for a second one that must not come.
        _ = await alerts.wait(for: 1, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(500))
        let received = await alerts.deliveries
        #expect(received.count == 1, "10 → 6 crosses the reorder point 7 once, at 8 → 7; \(worker.log)")
        let alert = try #require(received.first)
        let envelope = try JSONSerialization.jsonObject(with: Data(alert.body)) as? [String: Any]
        let data = envelope?["data"] as? [String: Any]
        #expect(data?["sku"] as? String == sku)
        #expect(data?["available"] as? Int == 7)
        #expect(data?["reorder_point"] as? Int == 7)
        await pipeline.stop([worker])
    }

    @Test("SIGTERM stops a worker cleanly: it exits on its own and says so")
    func gracefulShutdown() async throws {
        let pipeline = try await PipelineHarness.start("shutdown")
        let worker = try pipeline.startWorker(.capture)
        #expect(try await pipeline.wait { worker.log.contains("consuming") })
        kill(worker.pid, SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(10)))
        #expect(worker.log.contains("stopped consuming; in-flight messages finished"))
        await pipeline.stop([])
    }

    @Test("SIGTERM stops pick's service group in order: the worker, then the picklist writer, then metrics")
    func serviceGroupShutdown() async throws {
        let pipeline = try await PipelineHarness.start("shutdown-group")
        let port = try LocalPorts.free(1)[0]
        let worker = try pipeline.startWorker(.pick, environment: ["OMS_METRICS_PORT": "\(port)",
                                                                   "OMS_LOG_LEVEL": "debug"])
        #expect(try await pipeline.wait { worker.log.contains("consuming") })
        #expect(try Self.get("/metrics", port: port).contains("200 OK"))
        kill(worker.pid, SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(10)))
        let lines = worker.log.split(separator: "\n").map(String.init)
        let consumingStopped = lines.firstIndex { $0.contains("stopped consuming; in-flight messages finished") }
        let stopped = lines.lastIndex { $0.hasSuffix("stopped") || $0.contains(" stopped ") }
        #expect(consumingStopped != nil && stopped != nil && consumingStopped! < stopped!, "\(worker.log)")
        #expect(throws: (any Error).self) { try Self.get("/metrics", port: port) }
        await pipeline.stop([])
    }

    /// A plain HTTP GET on loopback.
    static func get(_ path: String, port: Int) throws -> String {
        guard let fd = LocalPorts.connected(port: port) else {
            throw ChildProcessFailed(command: ["GET", path], status: errno, output: "no answer")
        }
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            response += buffer[..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
