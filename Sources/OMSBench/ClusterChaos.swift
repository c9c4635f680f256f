import CLISupport
import Foundation
import RedisClient
import Supervision

/// `oms bench --cluster --chaos`: at points in the flow (shares of the
/// orders shipped, so that each kill meets orders on their way however fast
/// the machine is), `kill -9` of the RabbitMQ node the workers are connected
/// to, later of the Redis master of the first SKU's stock; once its replica
/// has taken over, both are started again while the flow goes on.
struct ClusterChaos: Sendable {
    var clusters: LocalClusters
    /// The node every connection opens on: the first of OMS_AMQP_URL.
    var brokerPort: Int
    var say: @Sendable (String) -> Void
    var brokerKillShare = 0.25
    var redisKillShare = 0.45
    /// A failover takes the 3 s node timeout and an election; far longer means it will not happen.
    var failoverLimit: Duration = .seconds(60)

    /// The kills, once both nodes are back: the master killed is `key`'s;
    /// `shipped` counts the orders shipped so far.
    func run(orders: Int, key: String, redis: RedisCluster, started: Date,
             shipped: @Sendable () -> Int) async throws -> [KilledNode] {
        try await reach(Int(Double(orders) * brokerKillShare), shipped)
        var broker = KilledNode(node: "rabbitmq 127.0.0.1:\(brokerPort)", shipped: shipped(),
                                atSeconds: Self.seconds(since: started))
        broker.pid = try clusters.kill(port: brokerPort)
        say("chaos: kill -9 of RabbitMQ node 127.0.0.1:\(brokerPort) (pid \(broker.pid)), \(broker.shipped) shipped")

        try await reach(Int(Double(orders) * redisKillShare), shipped)
        guard let master = await redis.master(of: key) else {
            throw CLIError("chaos: no Redis master serves \(key); is the Redis Cluster whole?")
        }
        var cache = KilledNode(node: "redis master \(master)", shipped: shipped(), atSeconds: Self.seconds(since: started))
        cache.pid = try clusters.kill(port: master.port)
        say("chaos: kill -9 of Redis master \(master) (pid \(cache.pid)), \(cache.shipped) shipped")
        cache.promoted = try await promotedReplica(of: master, key: key, redis: redis).description
        cache.failoverSeconds = ((Self.seconds(since: started) - cache.atSeconds) * 10).rounded() / 10
        say("chaos: \(cache.promoted ?? "") serves the slots of \(master) after \(cache.failoverSeconds ?? 0) s; "
            + "starting both nodes again")

        try await clusters.up()
        let back = Self.seconds(since: started)
        broker.restartedAtSeconds = back
        cache.restartedAtSeconds = back
        say("chaos: both nodes are back in their clusters at \(back) s")
        return [broker, cache]
    }

    private func reach(_ count: Int, _ shipped: @Sendable () -> Int) async throws {
        while shipped() < count { try await Task.sleep(for: .milliseconds(50)) }
    }

    /// Reads the key until its slot answers again, which the client follows
    /// to the replica promoted in the dead master's place.
    private func promotedReplica(of master: ClusterNode, key: String, redis: RedisCluster) async throws -> ClusterNode {
        let deadline = ContinuousClock.now + failoverLimit
        while ContinuousClock.now < deadline {
            _ = try? await redis.send(RedisCommand("EXISTS", key))
            if let now = await redis.master(of: key), now != master { return now }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CLIError("chaos: no replica took the slots of \(master) within \(failoverLimit); see the Redis logs in "
            + "\(clusters.stateDirectory)/cluster")
    }

    static func seconds(since start: Date) -> Double {
        (Date().timeIntervalSince(start) * 10).rounded() / 10
    }
}

/// A node `--chaos` killed: which, when (seconds since the first publish)
/// and how far the flow was.
struct KilledNode: Sendable {
    var node: String
    var pid: pid_t = 0
    var shipped: Int
    var atSeconds: Double
    /// The replica that took a Redis master's slots.
    var promoted: String?
    var failoverSeconds: Double?
    var restartedAtSeconds: Double?

    var json: [String: Any] {
        var object: [String: Any] = ["node": node, "pid": Int(pid), "shipped_before": shipped, "at_s": atSeconds]
        object["promoted"] = promoted
        object["failover_s"] = failoverSeconds
        object["restarted_at_s"] = restartedAtSeconds
        return object
    }
}
