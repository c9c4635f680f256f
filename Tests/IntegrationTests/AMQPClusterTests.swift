import AMQPClient
import Foundation
import Testing

@Suite("AMQP client on a three-node RabbitMQ cluster")
struct AMQPClusterTests {
    @Test("kill -9 of the node both connections use, under a flow: every message consumed, twice only if published twice or redelivered")
    func nodeKilledUnderFlow() async throws {
        try await ClusterServers.with(["rabbitmq"], flowThroughNodeLoss)
    }

    private func flowThroughNodeLoss(_ servers: ClusterServers) async throws {
        let publisher = try await AMQPTestSupport.connect(url: servers.amqpURL, name: "oms-cluster-publisher")
        let consumer = try await AMQPTestSupport.connect(url: servers.amqpURL, name: "oms-cluster-consumer")
        let first = servers.amqpPorts[0]
        #expect(await publisher.node.port == first)
        let queue = "test.cluster.flow"
        try await publisher.declare(AMQPTopology(queues: [AMQPTestSupport.quorumQueue(queue)]))
        let acked = AckLedger()
        let reader = Task { try await acked.consume(queue: queue, on: consumer) }

        let total = 3_000
        var unconfirmed = (0..<total).map { "m\($0)" }
        var republished = Set<String>()
        var killed = false
        // Generous: on a loaded machine a quorum queue's new leader can take a
        // minute to be elected; a passing run does not wait for it.
        let deadline = ContinuousClock.now + .seconds(300)
        while !unconfirmed.isEmpty, ContinuousClock.now < deadline {
            let batch = Array(unconfirmed.prefix(100))
            let results = await publisher.publish(batch: batch.map {
                AMQPMessage(exchange: "", routingKey: queue, body: Array($0.utf8), messageID: $0)
            })
            var failed: [String] = []
            for (id, result) in zip(batch, results) {
                if case .failure(let error) = result {
                    // Nacked: the queue had no leader for a moment (one was on the node killed).
                    #expect([.connectionLost, .notConnected, .nacked].contains(error.kind), "\(error)")
                    failed.append(id)
                }
            }
            republished.formUnion(failed)
            unconfirmed = Array(unconfirmed.dropFirst(batch.count)) + failed
            if !killed, total - unconfirmed.count >= 500 {
                try servers.kill(port: first)
                killed = true
            }
        }
        #expect(unconfirmed.isEmpty, "\(unconfirmed.count) messages never confirmed")

        let everyID = Set((0..<total).map { "m\($0)" })
        let ledger = await acked.wait(for: everyID, timeout: .seconds(180))
        let redelivered = await acked.redelivered
        reader.cancel()
        #expect(Set(ledger.keys) == everyID, "\(everyID.subtracting(ledger.keys).count) messages never consumed")
        // An ack in flight when the node died is lost: the broker delivers the
        // message again, flagged. Any other second time is a publish repeated.
        let twice = Set(ledger.filter { $0.value > 1 }.keys)
        #expect(twice.isSubset(of: republished.union(redelivered)),
                "consumed twice, neither published twice nor redelivered: \(twice.subtracting(republished.union(redelivered)))")
        print("node killed: \(republished.count) publishes repeated, \(redelivered.count) redelivered, "
              + "\(twice.count) messages consumed twice")
        #expect(await publisher.reconnects >= 1)
        #expect(await consumer.reconnects >= 1)
        #expect(await publisher.node.port != first)
        #expect(await consumer.node.port != first)
        await publisher.close()
        await consumer.close()
    }
}

/// How many times each message id was acked (an ack the connection refused
/// as stale does not count: the broker delivers that message again), and
/// which ids came flagged redelivered.
actor AckLedger {
    private(set) var counts: [String: Int] = [:]
    private(set) var redelivered: Set<String> = []

    func consume(queue: String, on connection: AMQPConnection) async throws {
        for try await delivery in try await connection.consume(queue: queue, prefetch: 200) {
            guard let id = delivery.messageID else { continue }
            if delivery.redelivered { redelivered.insert(id) }
            if try await connection.ack(delivery) { counts[id, default: 0] += 1 }
        }
    }

    func wait(for ids: Set<String>, timeout: Duration) async -> [String: Int] {
        let deadline = ContinuousClock.now + timeout
        while !ids.isSubset(of: counts.keys), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return counts
    }
}
