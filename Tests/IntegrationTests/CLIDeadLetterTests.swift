import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import Testing
import WorkerRuntime

@Suite("oms dlq", .serialized)
struct CLIDeadLetterTests {
    /// A dead letter as a worker leaves it, planted directly in oms.dead.
    static func plant(_ harness: PipelineHarness, id: String, body: String, stage: String = "capture") async throws {
        try await harness.amqp.publish(AMQPMessage(
            exchange: Topology.dead, routingKey: "", body: Array(body.utf8),
            headers: [Headers.stage: .string(stage), Headers.error: "stock service was down",
                      Headers.attempts: 4, Headers.originalExchange: .string(Topology.intake),
                      Headers.originalRoutingKey: "order.place"],
            messageID: id))
    }

    @Test("list, show, replay (confirmed once by capture) and purge")
    func listShowReplayPurge() async throws {
        let harness = try await PipelineHarness.start("cli-dlq")
        let capture = try harness.startWorker(.capture)
        defer { Task { await harness.stop([capture]) } }
        let sku = TestOrders.sku("CLI-DLQ")
        try await harness.inventory.set(sku: sku, available: 10)
        let id = "cli-dlq-\(UUID().uuidString.prefix(8))"
        let other = "cli-dlq-other-\(UUID().uuidString.prefix(8))"
        try await Self.plant(harness, id: id, body: TestOrders.place(id: id, lines: [(sku, 2)]))
        try await Self.plant(harness, id: other, body: #"{"order_id": "nothing"}"#, stage: "payment")

        let list = try await harness.oms("dlq", "list")
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains(id) && list.stdout.contains(other), "\(list)")
        #expect(list.stdout.contains("stock service was down"), "\(list)")
        let listed = try #require(try await harness.oms("dlq", "list", "--json").json() as? [[String: Any]])
        let entry = try #require(listed.first { $0["message_id"] as? String == id })
        #expect(entry["stage"] as? String == "capture")
        #expect(entry["attempts"] as? Int == 4)
        #expect(try await harness.amqp.inspect(queue: Topology.dead).messages == 2, "listing leaves them there")

        let show = try await harness.oms("dlq", "show", id)
        #expect(show.status == 0, "\(show)")
        #expect(show.stdout.contains("x-oms-original-routing-key: order.place"), "\(show)")
        #expect(show.stdout.contains(#""id": "\#(id)""#), "\(show)")
        let missing = try await harness.oms("dlq", "show", "no-such-letter")
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("no dead letter no-such-letter"), "\(missing)")

        let replay = try await harness.oms("dlq", "replay", "--id", id)
        #expect(replay.status == 0, "\(replay)")
        #expect(replay.stdout.contains("replayed \(id) to oms.intake order.place"), "\(replay)")
        #expect(try await harness.wait(timeout: .seconds(30)) {
            try await harness.statuses([id])[id] == .confirmed
        }, "\(capture.log)")
        try await Task.sleep(for: .milliseconds(500))
        let history = try await harness.orders.history(orderID: id)
        #expect(history.map(\.to) == [.received, .confirmed])
        #expect(try await harness.inventory.levels(sku: sku)?.reserved == 2)
        let after = try #require(try await harness.oms("dlq", "list", "--json").json() as? [[String: Any]])
        #expect(after.compactMap { $0["message_id"] as? String } == [other])

        let refused = try await harness.oms("dlq", "purge")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--yes"), "\(refused)")
        #expect(try await harness.amqp.inspect(queue: Topology.dead).messages == 1)
        let purge = try await harness.oms("dlq", "purge", "--yes")
        #expect(purge.status == 0, "\(purge)")
        #expect(purge.stdout.contains("purged 1"), "\(purge)")
        #expect(try await harness.amqp.inspect(queue: Topology.dead).messages == 0)
    }
}
