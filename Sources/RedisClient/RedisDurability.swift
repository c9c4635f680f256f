import Logging

/// How many replicas must have a write before `replicatedPipeline` returns
/// (`WAIT numreplicas timeout`), and how long to wait for them. Redis
/// replicates asynchronously: a master that dies before its replica has a
/// write takes the write with it; waiting narrows that window to the writes
/// made while a master has too few replicas connected. A replica connected
/// but behind is waited for, and the write fails if it stays behind.
public struct RedisDurability: Sendable, Hashable {
    public var replicas: Int
    public var timeout: Duration
    /// How much longer a replica that is connected but behind is waited for
    /// before the write fails (NOREPLICAS) and its step is retried. Under the
    /// command timeout (5 s by default), which would drop the connection.
    public var patience: Duration

    public init(replicas: Int, timeout: Duration = .milliseconds(500), patience: Duration = .seconds(2)) {
        self.replicas = replicas
        self.timeout = timeout
        self.patience = patience
    }

    /// No WAIT: one server without replicas.
    public static let none = RedisDurability(replicas: 0)
    /// A cluster's masters have one replica each. 250 ms is what a step
    /// pays, at worst, while a master has lost its replica (after a failover,
    /// until the old master is back as a replica).
    public static let clusterDefault = RedisDurability(replicas: 1, timeout: .milliseconds(250))

    var waitCommand: RedisCommand { waitCommand(timeout: timeout) }

    func waitCommand(timeout: Duration) -> RedisCommand {
        RedisCommand("WAIT", replicas, Int(timeout.components.seconds * 1000
                                               + timeout.components.attoseconds / 1_000_000_000_000_000))
    }

    /// Says that a write stands on its master alone, for `unreplicatedWrites`' count.
    func warnUnreplicated(_ logger: Logger) {
        logger.warning("write on the master alone: too few replicas connected to wait for",
                       metadata: ["replicas": "\(replicas)", "timeout": "\(timeout)"])
    }

    /// Whether a WAIT reply says enough replicas acknowledged.
    func isMet(by reply: RedisReply) -> Bool {
        (reply.int ?? 0) >= replicas
    }
}
