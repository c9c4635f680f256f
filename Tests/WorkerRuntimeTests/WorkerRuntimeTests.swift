import AMQPClient
import Foundation
import Logging
import OMSContract
import OMSDomain
import OMSSettings
@testable import RedisClient
import Testing
@testable import WorkerRuntime

@Suite("Trace context")
struct TraceContextTests {
    @Test("a valid traceparent is read; a child keeps the trace and gets a new span")
    func child() throws {
        let parent = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(parent.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        let child = parent.child()
        #expect(child.traceID == parent.traceID)
        #expect(child.spanID != parent.spanID)
        #expect(child.traceparent.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        #expect(child.traceparent.count == 55)
    }

    @Test("malformed traceparents are ignored", arguments: [
        "", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "00-4bf92f3577b34da6-00f067aa0ba902b7-01",
    ])
    func malformed(header: String) {
        #expect(TraceContext(traceparent: header) == nil)
    }

    @Test("a root trace is well formed")
    func root() {
        let root = TraceContext.root()
        #expect(TraceContext(traceparent: root.traceparent) == root)
        #expect(root.traceID.count == 32 && root.spanID.count == 16)
    }

    @Test("ten thousand new traces and spans are all distinct, and use every hex digit")
    func distinctIDs() {
        let traces = (0..<10_000).map { _ in TraceContext.root() }
        #expect(Set(traces.map(\.traceID)).count == traces.count)
        #expect(Set(traces.map(\.spanID)).count == traces.count)
        #expect(Set(traces.map(\.traceID).joined()) == Set("0123456789abcdef"))
    }
}

@Suite("Failures a handler did not decide on")
struct FailureOutcomeTests {
    @Test("a store script's refusal is dead-lettered with its reason; it would be refused again")
    func refusalDeadLettered() {
        let refusal = RedisError(.server, "ERR commit: the hold of web-1 does not match reserved on oms:stock:{A}",
                                 command: "EVALSHA commit")
        #expect(refusal.isRefusal)
        #expect(Outcome.failed(refusal) == .deadLetter(reason: "the store refused this step: \(refusal)"))
    }

    @Test("a Redis away, busy, loading, out of memory, failing over or not granting a command is retried",
          arguments: [
        RedisError(.connectionLost, "EOF", command: "EVALSHA reserve"),
        RedisError(.unreachable, "Connection refused", command: "connect"),
        RedisError(.timeout, "no reply", command: "EVALSHA reserve"),
        RedisError(.server, "OOM command not allowed when used memory > 'maxmemory'.", command: "EVALSHA reserve"),
        RedisError(.server, "LOADING Redis is loading the dataset in memory", command: "EVALSHA reserve"),
        RedisError(.server, "READONLY You can't write against a read only replica.", command: "EVALSHA reserve"),
        RedisError(.authentication, "WRONGPASS invalid username-password pair", command: "AUTH"),
        // Not granted yet: it passes once the ACL grants it, so it waits in the delay queues.
        RedisError(serverReply: "NOPERM User oms-worker has no permissions to run the 'flushall' command",
                   command: "FLUSHALL", endpoint: "127.0.0.1:6379"),
    ])
    func transientRetried(error: RedisError) {
        #expect(!error.isRefusal)
        #expect(Outcome.failed(error) == .retry(reason: "\(error)"))
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("each failed attempt waits longer; after the last delay the message is dead-lettered")
    func delays() {
        let policy = RetryPolicy(delays: [.seconds(1), .seconds(5), .seconds(30)])
        #expect(policy.maximumAttempts == 4)
        #expect((1...4).map { policy.delay(after: $0) } == [.seconds(1), .seconds(5), .seconds(30), nil])
    }

    @Test("OMS_RETRY_DELAYS_MS is a list of milliseconds, spaces allowed; unset gives the stage's schedule")
    func retryDelaysParsed() throws {
        let listed = OMSSettings.Environment(["OMS_RETRY_DELAYS_MS": "1000, 5000,30000"])
        #expect(try RetryPolicy.configured(in: listed).delays == [.seconds(1), .seconds(5), .seconds(30)])
        let stage = RetryPolicy(delays: [.seconds(2)])
        #expect(try RetryPolicy.configured(in: OMSSettings.Environment([:]), default: stage) == stage)
    }

    @Test("a retry list with a word in it stops the worker, naming the variable, instead of skipping the word")
    func retryDelaysMisspelt() {
        let misspelt = OMSSettings.Environment(["OMS_RETRY_DELAYS_MS": "1000,5OOO"])
        #expect(throws: SettingError.self) { try RetryPolicy.configured(in: misspelt) }
        #expect(throws: (any Error).self) { try WorkerOptions.parse(["--retry-delays-ms", "1s,5s"]) }
    }
}

@Suite("Topology")
struct TopologyTests {
    let topology = Topology.declaration(retry: RetryPolicy(delays: [.seconds(1), .seconds(5)]))

    @Test("every stage has a durable quorum queue fed by oms.work with its own name")
    func stageQueues() {
        for stage in Stage.allCases {
            let queue = topology.queues.first { $0.name == "oms.\(stage.rawValue)" }
            #expect(queue?.durable == true && queue?.arguments["x-queue-type"] == "quorum")
            #expect(topology.bindings.contains(.init(queue: stage.queue, exchange: "oms.work", routingKey: stage.rawValue)))
        }
    }

    @Test("intake routing keys reach the DESIGN.md stages")
    func routes() {
        let expected: [(String, String)] = [("order.place", "oms.capture"), ("order.cancel", "oms.capture"),
                                            ("stock.restocked", "oms.capture"), ("order.return", "oms.return"),
                                            ("shipment.delivered", "oms.ship")]
        for (key, queue) in expected {
            #expect(topology.bindings.contains(.init(queue: queue, exchange: "oms.intake", routingKey: key)))
        }
        #expect(topology.exchanges.first { $0.name == "oms.intake" }?.arguments["alternate-exchange"] == "oms.unrouted")
    }

    @Test("each status event that hands an order over is bound by the stage that acts next, and only by it")
    func handoffEvents() {
        let fromEvents = topology.bindings.filter { $0.exchange == "oms.events" && $0.queue != "oms.notify" }
        #expect(Set(fromEvents.map { "\($0.routingKey) → \($0.queue)" })
            == ["order.confirmed → oms.payment", "order.paid → oms.pick", "order.picked → oms.ship"])
    }

    @Test("notify binds exactly the events that send email, not every order event")
    func notifyBindings() {
        let keys = topology.bindings.filter { $0.queue == "oms.notify" && $0.exchange == "oms.events" }.map(\.routingKey)
        #expect(Set(keys) == ["order.confirmed", "order.backordered", "order.shipped", "order.delivered",
                              "order.cancelled", "order.return_requested", "order.refunded", "cancel.refused"])
        #expect(Topology.retiredBindings == [.init(queue: "oms.notify", exchange: "oms.events", routingKey: "order.#")])
    }

    @Test("hand-off events are mandatory and carry the order; other events are neither")
    func handoffEventMessages() throws {
        guard case .place(let order) = try IntakeMessage.decode(routingKey: "order.place", body: Array(#"""
            {"id": "t-1", "channel": "web", "placed_at": "2026-11-22T10:00:00Z", "currency": "GBP",
             "customer": {"name": "Ada", "email": "ada@example.com"},
             "shipping_address": {"line1": "1 St", "city": "London", "postal_code": "N1 9GU", "country": "GB"},
             "lines": [{"sku": "MUG", "quantity": 2, "unit_price": 1250}],
             "payment": {"method": "card", "token": "tok_visa"}}
            """#.utf8)) else { Issue.record("not an order"); return }
        let context = HandlerContext(stage: .capture, logger: Logger(label: "test"), trace: .root()) { _ in }
        for status in OrderStatus.allCases {
            let message = StageEvents.order(order, status, version: 2, context)
            let handingOver = [.confirmed, .paid, .picked].contains(status)
            #expect(message.mandatory == handingOver, "\(status)")
            let event = try OrderEvent.decode(message.body)
            #expect(event.data.order == (handingOver ? order : nil), "\(status)")
            if handingOver {
                let handoff = try Handoff.decode(routingKey: message.routingKey, body: message.body)
                #expect(handoff.order == order)
                #expect(Stage(performing: handoff.action).queue
                    == Topology.eventRoutes.first { $0.routingKey == message.routingKey && $0.stage != .notify }?.stage.queue)
            }
        }
    }

    @Test("retry queues hold messages for their delay, then hand them back by stage")
    func retryPath() {
        let delayQueue = topology.queues.first { $0.name == "oms.retry.q.5000" }
        #expect(delayQueue?.arguments["x-queue-type"] == "quorum", "a retry outlives the node it waits on")
        #expect(delayQueue?.arguments["x-message-ttl"] == 5000)
        #expect(delayQueue?.arguments["x-dead-letter-exchange"] == "oms.retry.due")
        #expect(topology.bindings.contains(.init(queue: "oms.payment", exchange: "oms.retry.due", routingKey: "",
                                                 arguments: ["x-match": "all", "oms-retry-stage": "payment"])))
    }
}

@Suite("Document files")
struct DocumentFilesTests {
    @Test("a document is written whole into a folder made on first use, leaving no temporary file")
    func writesIntoNewFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("oms-docs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = root + "/labels"
        try DocumentFiles.write(Array("first".utf8), folder: folder, name: "o-1.pdf")
        try DocumentFiles.write(Array("second".utf8), folder: folder, name: "o-1.pdf")
        #expect(FileManager.default.contents(atPath: folder + "/o-1.pdf") == Data("second".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["o-1.pdf"])
    }
}
