import AMQPClient
import Foundation
import Testing

/// The time bounds here separate failing at once from hanging until a long
/// timeout; in a parallel run on two cores, the scheduling of other tests adds
/// seconds, so they are generous.
@Suite("AMQP client against a real broker")
struct AMQPClientIntegrationTests {
    @Test("publish, confirm, consume and ack round trip keeps body and headers")
    func roundTrip() async throws {
        let connection = try await AMQPTestSupport.connect()
        let queue = AMQPTestSupport.uniqueName("roundtrip")
        try await connection.declare(AMQPTopology(queues: [AMQPTestSupport.quorumQueue(queue)]))
        defer { Task { try? await connection.delete(queue: queue); await connection.close() } }

        let headers: AMQPTable = [
            "x-oms-stage": "capture", "attempt": 3, "flag": true,
            "trace": .table(["traceparent": "00-abc-def-01"]), "list": .array(["a", 2]),
        ]
        let body = Array(#"{"id":"web-1","note":"ünïcode"}"#.utf8)
        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: body, headers: headers,
                                                 messageID: "m-1", correlationID: "c-1", timestamp: 1_700_000_000))

        let consumer = try await connection.consume(queue: queue, prefetch: 10)
        let delivery = try #require(await Inbox(consumer).first())
        #expect(delivery.body == body)
        #expect(delivery.headers["x-oms-stage"] == "capture")
        #expect(delivery.headers["attempt"] == 3)
        #expect(delivery.headers["flag"] == true)
        #expect(delivery.headers["trace"]?.table?["traceparent"] == "00-abc-def-01")
        #expect(delivery.headers["list"] == .array(["a", 2]))
        #expect(delivery.contentType == "application/json")
        #expect(delivery.messageID == "m-1")
        #expect(delivery.correlationID == "c-1")
        #expect(delivery.timestamp == 1_700_000_000)
        #expect(delivery.redelivered == false)
        #expect(try await connection.ack(delivery))
        try await consumer.cancel()
        #expect(try await connection.inspect(queue: queue).messages == 0)
    }

    @Test("nack without requeue dead-letters the message with an x-death header")
    func nackDeadLetters() async throws {
        let connection = try await AMQPTestSupport.connect()
        let queue = AMQPTestSupport.uniqueName("work")
        let deadExchange = AMQPTestSupport.uniqueName("dead")
        let deadQueue = AMQPTestSupport.uniqueName("dead")
        try await connection.declare(AMQPTopology(
            exchanges: [.init(deadExchange, kind: .fanout)],
            queues: [AMQPTestSupport.quorumQueue(queue, arguments: QueueArgument.deadLetter(exchange: deadExchange)),
                     AMQPTestSupport.quorumQueue(deadQueue)],
            bindings: [.init(queue: deadQueue, exchange: deadExchange, routingKey: "")]))
        defer {
            Task {
                try? await connection.delete(queue: queue)
                try? await connection.delete(queue: deadQueue)
                try? await connection.delete(exchange: deadExchange)
                await connection.close()
            }
        }

        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: Array("bad".utf8),
                                                 messageID: "bad-1"))
        let delivery = try #require(await Inbox(try await connection.consume(queue: queue, prefetch: 1)).first())
        #expect(try await connection.nack(delivery, requeue: false))

        let dead = try #require(await Inbox(try await connection.consume(queue: deadQueue, prefetch: 1)).first())
        #expect(dead.body == Array("bad".utf8))
        #expect(dead.messageID == "bad-1")
        let death = try #require(dead.headers["x-death"]?.array?.first?.table)
        #expect(death["queue"] == .string(queue))
        #expect(death["reason"] == "rejected")
        #expect(death["count"] == 1)
    }

    @Test("prefetch N leaves no more than N deliveries unacked")
    func prefetchBound() async throws {
        let connection = try await AMQPTestSupport.connect()
        let queue = AMQPTestSupport.uniqueName("prefetch")
        try await connection.declare(AMQPTopology(queues: [AMQPTestSupport.quorumQueue(queue)]))
        defer { Task { try? await connection.delete(queue: queue); await connection.close() } }

        let messages = (0..<50).map { AMQPMessage(exchange: "", routingKey: queue, body: Array("\($0)".utf8)) }
        let results = await connection.publish(batch: messages)
        #expect(results.allSatisfy { (try? $0.get()) != nil })

        let inbox = await Inbox(try await connection.consume(queue: queue, prefetch: 5))
        let first = await inbox.wait(for: 6, timeout: .seconds(2))
        try #require(first.count == 5, "the broker must stop at the prefetch count while nothing is acked")
        #expect(try await connection.ack(first[4], multiple: true))
        let all = await inbox.wait(for: 11, timeout: .seconds(2))
        #expect(all.count == 10, "acking five (multiple) lets exactly five more through")
        #expect(all.map(\.body) == (0..<10).map { Array("\($0)".utf8) })
    }

    @Test("basic.get returns a message or nil, and a got message can be acked")
    func basicGet() async throws {
        let connection = try await AMQPTestSupport.connect()
        let queue = AMQPTestSupport.uniqueName("get")
        try await connection.declare(AMQPTopology(queues: [AMQPTestSupport.quorumQueue(queue)]))
        defer { Task { try? await connection.delete(queue: queue); await connection.close() } }

        #expect(try await connection.get(queue: queue) == nil)
        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: Array("one".utf8)))
        let got = try #require(try await connection.get(queue: queue))
        #expect(got.body == Array("one".utf8))
        #expect(try await connection.ack(got))
        #expect(try await connection.get(queue: queue) == nil)
    }

    @Test("a mandatory publish that matches no queue fails as unroutable, never silently")
    func unroutable() async throws {
        let connection = try await AMQPTestSupport.connect()
        let exchange = AMQPTestSupport.uniqueName("nowhere")
        try await connection.declare(AMQPTopology(exchanges: [.init(exchange, kind: .topic, durable: false)]))
        defer { Task { try? await connection.delete(exchange: exchange); await connection.close() } }

        await #expect {
            try await connection.publish(AMQPMessage(exchange: exchange, routingKey: "no.such.key",
                                                     body: [1], messageID: "lost-1"))
        } throws: { error in
            (error as? AMQPError)?.kind == .unroutable && (error as? AMQPError)?.code == 312
        }
        try await connection.publish(AMQPMessage(exchange: "", routingKey: "amq.rabbitmq.reply-to", body: [],
                                                 mandatory: false))
    }

    @Test("redeclaring a queue with other arguments names the conflict, and the connection goes on")
    func declareConflict() async throws {
        let connection = try await AMQPTestSupport.connect()
        let queue = AMQPTestSupport.uniqueName("conflict")
        try await connection.declare(AMQPTopology(queues: [AMQPTestSupport.quorumQueue(queue)]))
        defer { Task { try? await connection.delete(queue: queue); await connection.close() } }

        await #expect {
            try await connection.declare(AMQPTopology(queues: [AMQPTopology.Queue(queue)]))
        } throws: { error in
            let error = error as? AMQPError
            return error?.kind == .channelClosed && error?.code == 406
                && error?.operation == "declare queue \(queue)" && error?.text.contains("PRECONDITION_FAILED") == true
        }
        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: [1]))
        #expect(try await connection.inspect(queue: queue).messages == 1)
    }
}

@Suite("AMQP client: bad input fails fast with a clear error")
struct AMQPClientBadInputTests {
    @Test("a malformed URL is refused before any connection")
    func malformedURL() {
        #expect(throws: AMQPError.self) { try AMQPURL("amqp//localhost") }
    }

    @Test("a wrong password says the credentials were refused")
    func wrongPassword() async throws {
        var url = try AMQPURL(TestServers.amqpURL)
        url.password = "not-the-password"
        let started = ContinuousClock.now
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "oms-tests"))
        } throws: { error in
            let error = error as? AMQPError
            return error?.kind == .accessRefused && error?.description.contains("wrong user or password") == true
        }
        #expect(ContinuousClock.now - started < TestBounds.failsFast)
    }

    @Test("a closed port says the broker is unreachable, quickly")
    func closedPort() async throws {
        let url = AMQPURL(host: "127.0.0.1", port: 1)
        let started = ContinuousClock.now
        await #expect {
            _ = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "oms-tests"))
        } throws: { error in
            let error = error as? AMQPError
            return error?.kind == .unreachable && error?.description.contains("127.0.0.1:1") == true
                && error?.description.contains("is the broker running?") == true
        }
        #expect(ContinuousClock.now - started < TestBounds.failsFast)
    }
}
