import Foundation
import Supervision
import TestSupport

/// Local clusters of one test's own (`scripts/services up --cluster`), on
/// free ports with a state folder of their own: three RabbitMQ nodes, six
/// Redis Cluster nodes, or both.
final class ClusterServers: OwnServers {
    let nodes: LocalClusters

    var amqpPorts: [Int] { nodes.amqpPorts }
    var redisPorts: [Int] { nodes.redisPorts }
    var amqpURL: String { nodes.amqpURL }
    var redisURL: String { nodes.redisURL }

    /// Runs `body` on clusters of its own, stopped afterwards whatever
    /// happens; with `rabbitmq`, in its turn (BrokerBootTurns).
    static func with(_ clusters: [String], _ body: (ClusterServers) async throws -> Void) async throws {
        try await running(startsBroker: clusters.contains("rabbitmq"), { try await start(clusters) }, body)
    }

    /// Starts `clusters` (`rabbitmq`, `redis`) on fresh ports.
    static func start(_ clusters: [String]) async throws -> ClusterServers {
        try await LocalPorts.twice { try await startOnFreePorts(clusters) }
    }

    private static func startOnFreePorts(_ clusters: [String]) async throws -> ClusterServers {
        let state = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-cluster-test-\(UUID().uuidString.prefix(8))").path
        let script = Checkout.script("services")
        let servers = ClusterServers(try LocalClusters.onFreePorts(script: script, clusters: clusters,
                                                                   stateDirectory: state))
        do {
            try await servers.nodes.up()
        } catch {
            await servers.stop()
            throw error
        }
        return servers
    }

    private init(_ nodes: LocalClusters) {
        self.nodes = nodes
    }

    /// `kill -9` of the node listening on `port` (RabbitMQ or Redis).
    func kill(port: Int) throws {
        try nodes.kill(port: port)
    }

    /// SIGSTOP (or SIGCONT) to the node listening on `port`: its connections
    /// stay open, and it answers nothing.
    func signal(_ signal: Int32, port: Int) throws {
        Glibc.kill(try nodes.pid(port: port), signal)
    }

    /// Starts again the nodes that are down.
    func startMissing() async throws {
        try await nodes.up()
    }

    /// Stops every node and removes the state folder.
    func stop() async {
        try? await nodes.down()
        try? FileManager.default.removeItem(atPath: nodes.stateDirectory)
    }
}
