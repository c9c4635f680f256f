import AMQPClient
import Foundation
import Supervision
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A loaded broker can close a connection in the middle of a declaration
/// (`cluster_not_formed` was seen in CI); declaring is idempotent, so
/// `AMQPConnection.declare` makes the whole declaration again on the next
/// connection.
@Suite("A declaration survives the connection lost under it")
struct AMQPDeclareRetryTests {
    @Test("connection cut while 1,000 queues are declared: the declaration goes on over the next connection and every queue exists")
    func declaredAgainAfterACut() async throws {
        let vhost = "test-declare-\(UUID().uuidString.prefix(8).lowercased())"
        try await BrokerVhost.add(vhost, grants: ["guest": ".*"])
        let brokerPort = try AMQPURL(TestServers.amqpURL).port
        let relayPort = try LocalPorts.free(1)[0]
        var relay: pid_t? = try await Self.startRelay(on: relayPort, to: brokerPort)
        defer { relay.map { TestProcess.terminate($0) } }
        let through = try await AMQPTestSupport.connect(url: "amqp://guest:guest@127.0.0.1:\(relayPort)/\(vhost)",
                                                        name: "oms-tests declare-through-relay")
        let direct = try await AMQPTestSupport.connect(url: "amqp://guest:guest@127.0.0.1:\(brokerPort)/\(vhost)",
                                                       name: "oms-tests declare-watcher")
        let names = (0..<1_000).map { "test.declare.\($0)" }
        let declaring = Task { try await through.declare(AMQPTopology(queues: names.map { .init($0) })) }

        // Cut once the declaration is under way: its first queue exists, and with
        // the relay stopped (nothing more gets through) its last does not yet.
        let deadline = ContinuousClock.now + .seconds(60)
        while await !Self.exists(names[0], direct), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let cut = try #require(relay)
        kill(cut, SIGSTOP)
        let lastExistedBeforeTheCut = await Self.exists(names[names.count - 1], direct)
        kill(cut, SIGKILL)
        _ = await ChildProcess.exitCode(of: cut)
        relay = nil
        relay = try await Self.startRelay(on: relayPort, to: brokerPort)

        try await declaring.value
        #expect(!lastExistedBeforeTheCut, "the declaration was over before the cut: declare more queues")
        #expect(await through.reconnects >= 1)
        for name in [names[0], names[names.count / 2], names[names.count - 1]] {
            #expect(await Self.exists(name, direct), "\(name) was not declared")
        }

        await through.close()
        await direct.close()
        await BrokerVhost.delete(vhost)
    }

    private static func exists(_ queue: String, _ connection: AMQPConnection) async -> Bool {
        (try? await connection.inspect(queue: queue)) != nil
    }

    private static func startRelay(on port: Int, to target: Int) async throws -> pid_t {
        let script = Checkout.script("tcp-relay")
        let pid = try ChildProcess.spawn([script, "127.0.0.1", "\(port)", "127.0.0.1", "\(target)"])
        let listening = await ChildProcess.waitUntilListening(pid, port: port, timeout: .seconds(15))
        try #require(listening, "scripts/tcp-relay did not listen on \(port)")
        return pid
    }
}
