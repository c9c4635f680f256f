import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import Testing
import WorkerRuntime

@Suite("Guarantee: bad input is dead-lettered with a clear reason, and the worker keeps going")
struct BadInputTests {
    static let cases: [(name: String, routingKey: String, body: String, reason: String)] = [
        ("malformed JSON", "order.place", #"{"id": "x", "lines": [ "#, "message body is not valid JSON"),
        ("missing fields", "order.place", #"{"id": "bad-missing"}"#, "channel is required"),
        ("zero quantity", "order.place", "ZERO", "lines[0].quantity must be a positive integer"),
        ("negative quantity", "order.place", "NEGATIVE", "lines[0].quantity must be a positive integer"),
        ("fractional price", "order.place", "FRACTION", "lines[0].unit_price must be a whole number of minor units"),
        ("unknown currency", "order.place", "CURRENCY", "currency 'XYZ' is not an ISO 4217 currency code"),
        ("CR/LF in a customer field", "order.place", "CRLF", "customer.name must not contain control characters"),
        ("unknown country", "order.place", "COUNTRY",
         "shipping_address.country 'XX' is not an ISO 3166-1 alpha-2 country code"),
        ("unknown routing key", "order.teleport", #"{"id": "x"}"#, "unknown routing key 'order.teleport'"),
    ]

    @Test("each bad message is dead-lettered with its reason; a good order after them is confirmed")
    func badInput() async throws {
        let pipeline = try await PipelineHarness.start("badinput")
        let sku = TestOrders.sku("GOOD")
        try await pipeline.inventory.set(sku: sku, available: 5)
        let prefix = "bad-\(pipeline.vhost.suffix(8))"
        let worker = try pipeline.startWorker(.capture)

        for (index, bad) in Self.cases.enumerated() {
            try await pipeline.publish(bad.routingKey, Self.body(bad.body, id: "\(prefix)-\(index)", sku: sku),
                                       messageID: "\(prefix)-\(index)")
        }
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: 2 << 20)
        try await pipeline.publish("order.place", huge, messageID: "\(prefix)-huge")
        let good = "\(prefix)-good"
        try await pipeline.publish("order.place", json: TestOrders.place(id: good, lines: [(sku, 1)]))

        #expect(try await pipeline.wait { try await pipeline.statuses([good])[good] == .confirmed })
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 100))
        let letters = await dead.wait(for: Self.cases.count + 1, timeout: .seconds(20))
        #expect(letters.count == Self.cases.count + 1)
        for (index, bad) in Self.cases.enumerated() {
            let letter = letters.first { $0.messageID == "\(prefix)-\(index)" }
            let error = letter?.headers[Headers.error]?.string ?? "(no dead letter)"
            #expect(error.contains(bad.reason), "\(bad.name): \(error)")
            #expect(letter?.headers[Headers.stage] == "capture")
            #expect(letter?.headers[Headers.attempts] == 1)
            #expect(letter?.body == Self.body(bad.body, id: "\(prefix)-\(index)", sku: sku), "body kept byte for byte")
        }
        let hugeLetter = letters.first { $0.messageID == "\(prefix)-huge" }
        #expect(hugeLetter?.headers[Headers.error]?.string
            == "message body is 2097152 bytes; the limit is 1048576 bytes")
        #expect(try await pipeline.statuses(["\(prefix)-2"])["\(prefix)-2"] == .rejected,
                "an invalid order with a usable id is recorded as rejected")
        #expect(worker.isRunning, "the worker is still up")
        await pipeline.stop([worker])
    }

    @Test("bad or misrouted hand-offs to payment, pick, ship and return are dead-lettered by that stage with its reason; a good order after them ships")
    func badHandoffs() async throws {
        let pipeline = try await PipelineHarness.start("badhandoff")
        let documents = FulfilmentTests.documentsFolder()
        let sku = TestOrders.sku("HAND")
        try await pipeline.inventory.set(sku: sku, available: 5)
        let workers = try FulfilmentTests.startStages(pipeline, documents: documents)
        let notJSON = Array("{not json".utf8)
        guard case .place(let order) = try IntakeMessage.decode(
            routingKey: "order.place", body: Array(TestOrders.place(id: "misrouted", lines: [(sku, 1)]).utf8)) else {
            Issue.record("the test order does not parse")
            return
        }
        let pick = Handoff(action: .pick, order: order).encoded()
        let cases: [(stage: Stage, body: [UInt8], reason: String)] = [
            (.payment, notJSON, #"not a payment hand-off (expected {"action": "charge" or "refund", "order": …})"#),
            (.payment, pick, "oms-payment does not pick; check who publishes it"),
            (.pick, notJSON, #"not a pick hand-off (expected {"action": "pick", "order": …})"#),
            (.ship, pick, #"not a ship hand-off (expected {"action": "ship", "order": …})"#),
            (.return, pick, #"not a return hand-off (expected {"action": "receive", …})"#),
        ]
        for (index, bad) in cases.enumerated() {
            try await pipeline.amqp.publish(AMQPMessage(exchange: Topology.work, routingKey: bad.stage.rawValue,
                                                        body: bad.body, messageID: "bad-\(index)"))
        }
        let good = "handoff-\(pipeline.vhost.suffix(8))"
        try await pipeline.publish("order.place", json: TestOrders.place(id: good, lines: [(sku, 1)]))

        #expect(try await pipeline.wait { try await pipeline.statuses([good])[good] == .shipped })
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        let letters = await dead.wait(for: cases.count)
        for (index, bad) in cases.enumerated() {
            let letter = letters.first { $0.messageID == "bad-\(index)" }
            #expect(letter?.headers[Headers.stage]?.string == bad.stage.rawValue)
            #expect(letter?.headers[Headers.error]?.string?.hasPrefix(bad.reason) == true,
                    "\(bad.stage): \(letter?.headers[Headers.error]?.string ?? "(no dead letter)")")
            #expect(letter?.body == bad.body, "body kept byte for byte")
        }
        #expect(workers.filter { !$0.isRunning }.isEmpty, "every worker is still up")
        await pipeline.stop(workers)
    }

    /// The named broken orders, built from a good one; other bodies as given.
    static func body(_ template: String, id: String, sku: String) -> [UInt8] {
        let good = TestOrders.place(id: id, lines: [(sku, 1)])
        let broken: String = switch template {
        case "ZERO": good.replacingOccurrences(of: #""quantity": 1"#, with: #""quantity": 0"#)
        case "NEGATIVE": good.replacingOccurrences(of: #""quantity": 1"#, with: #""quantity": -2"#)
        case "FRACTION": good.replacingOccurrences(of: #""unit_price": 1250"#, with: #""unit_price": 12.5"#)
        case "CURRENCY": good.replacingOccurrences(of: #""currency": "USD""#, with: #""currency": "XYZ""#)
        case "CRLF": good.replacingOccurrences(of: "Ada Lovelace", with: #"Ada\r\nBcc: mallory@example.com"#)
        case "COUNTRY": good.replacingOccurrences(of: #""country": "GB""#, with: #""country": "XX""#)
        default: template
        }
        return Array(broken.utf8)
    }
}

@Suite("Guarantee: a hand-off event no queue takes is dead-lettered, never dropped")
struct UnroutableHandoffTests {
    @Test("with nothing bound to order.confirmed, capture dead-letters the order saying so and goes on")
    func unroutableHandoff() async throws {
        let pipeline = try await PipelineHarness.start("unroutable")
        let sku = TestOrders.sku("UNROUTED")
        try await pipeline.inventory.set(sku: sku, available: 5)
        let capture = try pipeline.startWorker(.capture)
        // Once it consumes, the worker has declared its topology: the removal below then sticks.
        try #require(try await pipeline.wait { try await pipeline.amqp.inspect(queue: Stage.capture.queue).consumers == 1 })
        try await pipeline.amqp.remove([
            .init(queue: Stage.payment.queue, exchange: Topology.events, routingKey: "order.confirmed"),
            .init(queue: Stage.notify.queue, exchange: Topology.events, routingKey: "order.confirmed"),
        ])
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        let id = "unrouted-\(pipeline.vhost.suffix(8))"
        try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)]))
        let letter = try #require(await dead.first(), "\(capture.log)")
        #expect(letter.headers[Headers.stage]?.string == "capture")
        #expect(letter.headers[Headers.error]?.string?.contains("cannot publish what this message produced") == true,
                "\(String(describing: letter.headers[Headers.error]))")
        #expect(capture.isRunning)
        await pipeline.stop([capture])
    }
}
