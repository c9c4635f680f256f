import AMQPClient
import Synchronization
import Testing

@Suite("AMQP client survives a broker restart")
struct AMQPBrokerRestartTests {
    @Test("restart during 10,000 confirmed publishes: every confirmed message is kept, every other one reported")
    func restartWhilePublishing() async throws {
        try await PrivateServers.with(["rabbitmq"], publishThroughRestart)
    }

    private func publishThroughRestart(_ servers: PrivateServers) async throws {
        let connection = try await AMQPTestSupport.connect(url: servers.amqpURL, name: "oms-restart-test")
        let queue = "test.restart.publish"
        let consumed = "test.restart.consume"
        try await connection.declare(AMQPTopology(queues: [
            AMQPTestSupport.quorumQueue(queue), AMQPTestSupport.quorumQueue(consumed),
        ]))

        // A consumer holding one unacked delivery across the restart.
        try await connection.publish(AMQPMessage(exchange: "", routingKey: consumed, body: Array("held".utf8)))
        let inbox = await Inbox(try await connection.consume(queue: consumed, prefetch: 10))
        let held = try #require(await inbox.first())

        // Publishing spans the restart whatever the timing: 2,000 first, then
        // paced batches only while the restart is under way (at most up to
        // 8,000, then waiting for it), then the rest once the broker is back.
        let total = 10_000
        let restartDone = Flag()
        var restart: Task<Void, any Error>?
        var confirmed = Set<String>()
        var reported = Set<String>()
        for start in stride(from: 0, to: total, by: 100) {
            if start == 2_000 {
                restart = Task {
                    defer { restartDone.set() }
                    try await servers.rabbitmqctl("stop_app")
                    try await Task.sleep(for: .seconds(1))
                    try await servers.rabbitmqctl("start_app")
                }
            }
            if start >= 2_000, !restartDone.isSet {
                try await Task.sleep(for: .milliseconds(50))
                while start >= 8_000, !restartDone.isSet {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let ids = (start..<min(start + 100, total)).map { "m\($0)" }
            let results = await connection.publish(batch: ids.map {
                AMQPMessage(exchange: "", routingKey: queue, body: Array($0.utf8), messageID: $0)
            })
            for (id, result) in zip(ids, results) {
                switch result {
                case .success: confirmed.insert(id)
                case .failure(let error):
                    #expect(error.kind == .connectionLost || error.kind == .notConnected, "\(error)")
                    reported.insert(id)
                }
            }
        }
        try await restart?.value

        #expect(confirmed.count + reported.count == total, "the caller hears about every message")
        print("broker restart: \(confirmed.count) confirmed, \(reported.count) reported unconfirmed")
        #expect(confirmed.isDisjoint(with: reported))
        #expect(await connection.reconnects >= 1, "the connection recovered on its own during the run")
        #expect(await connection.isConnected)

        let stored = await Inbox(try await connection.consume(queue: queue, prefetch: UInt16(total)))
        _ = await stored.wait(for: confirmed.count, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(500))
        let deliveries = await stored.deliveries
        let storedIDs = Set(deliveries.compactMap(\.messageID))
        #expect(confirmed.isSubset(of: storedIDs), "\(confirmed.subtracting(storedIDs).count) confirmed messages lost")
        #expect(storedIDs.isSubset(of: confirmed.union(reported)))

        // The delivery from before the restart is not acked by its stale tag;
        // the resumed consumer gets it again, flagged redelivered.
        #expect(try await connection.ack(held) == false)
        let again = await inbox.wait(for: 2)
        try #require(again.count == 2)
        #expect(again[1].body == Array("held".utf8))
        #expect(again[1].redelivered)
        #expect(try await connection.ack(again[1]))
        await connection.close()
    }
}

/// A one-way switch shared between tasks.
final class Flag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() { value.withLock { $0 = true } }
}
