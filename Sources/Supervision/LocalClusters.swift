import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local clusters of `scripts/services up --cluster`: three RabbitMQ
/// nodes on AMQP ports in a row and six Redis Cluster nodes on ports in a
/// row, under `STATE/cluster/`, each node's pid in a file there. The tests
/// and `oms bench --cluster --chaos` start, kill and restart them through
/// this.
public struct LocalClusters: Sendable {
    public static let amqpNodes = 3
    public static let redisNodes = 6

    /// The checkout's `scripts/services`.
    public var script: String
    /// `rabbitmq`, `redis` or both: what `up` and `down` act on.
    public var clusters: [String]
    /// What the script runs with: OMS_STATE_DIR and the first ports.
    public var environment: [String: String]

    /// Clusters whose first ports are these, under `stateDirectory`;
    /// `environment` adds to the script's (OMS_CLUSTER_DIST_PORT…).
    public init(script: String, clusters: [String], stateDirectory: String, firstAMQPPort: Int, firstRedisPort: Int,
                environment: [String: String] = [:]) {
        self.script = script
        self.clusters = clusters
        self.environment = environment.merging([
            "OMS_STATE_DIR": stateDirectory,
            "OMS_CLUSTER_AMQP_PORT": "\(firstAMQPPort)",
            "OMS_CLUSTER_REDIS_PORT": "\(firstRedisPort)",
        ]) { _, new in new }
    }

    /// Clusters on ports nothing listens on now (with the Erlang
    /// distribution and port mapper ports, and each Redis node's bus port).
    public static func onFreePorts(script: String, clusters: [String], stateDirectory: String) throws -> LocalClusters {
        LocalClusters(script: script, clusters: clusters, stateDirectory: stateDirectory,
                      firstAMQPPort: try LocalPorts.freeRun(amqpNodes),
                      firstRedisPort: try LocalPorts.freeRun(redisNodes, twinOffset: 10_000),
                      environment: ["OMS_CLUSTER_DIST_PORT": "\(try LocalPorts.freeRun(amqpNodes))",
                                    "OMS_EPMD_PORT": "\(try LocalPorts.free(1)[0])"])
    }

    public var stateDirectory: String { environment["OMS_STATE_DIR"]! }
    public var amqpPorts: [Int] { ports("OMS_CLUSTER_AMQP_PORT", count: Self.amqpNodes) }
    public var redisPorts: [Int] { ports("OMS_CLUSTER_REDIS_PORT", count: Self.redisNodes) }
    /// Every node, comma-separated, as `scripts/services env --cluster` prints them.
    public var amqpURL: String { amqpPorts.map { "amqp://guest:guest@127.0.0.1:\($0)/%2F" }.joined(separator: ",") }
    public var redisURL: String { redisPorts.map { "redis://127.0.0.1:\($0)/0" }.joined(separator: ",") }

    /// `scripts/services up --cluster`: starts the nodes that are down (all
    /// of them the first time) and returns once the clusters are whole.
    public func up() async throws {
        try await run(["up", "--cluster"] + clusters)
    }

    /// Stops every node; the state folder stays.
    public func down() async throws {
        try await run(["down", "--cluster"] + clusters)
    }

    /// `down` from a signal handler, which cannot wait asynchronously: blocks
    /// until the nodes have stopped, and says where to look when they did not.
    public func downBlocking() {
        let arguments = ["down", "--cluster"] + clusters
        do {
            let (pid, log) = try start(arguments)
            try check(Spawn.exitStatusBlocking(of: pid), arguments, log: log)
        } catch {
            FileHandle.standardError.write(Data("could not stop the clusters under \(stateDirectory): \(error)\n".utf8))
        }
    }

    /// `kill -9` of the node listening on `port` (RabbitMQ or Redis); its pid.
    @discardableResult
    public func kill(port: Int) throws -> pid_t {
        let pid = try pid(port: port)
        Glibc.kill(pid, SIGKILL)
        return pid
    }

    /// The live process of the node listening on `port`, from its pid file.
    public func pid(port: Int) throws -> pid_t {
        let file = redisPorts.contains(port) ? "redis-\(port)/redis.pid" : "rabbitmq-\(port)/rabbitmq.pid"
        let path = "\(stateDirectory)/cluster/\(file)"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), Spawn.isAlive(pid) else {
            throw LocalClustersError(command: "kill -9 of the node on port \(port)", status: 1,
                                     output: "no live pid in \(path): was it started by scripts/services up --cluster "
                                         + "with OMS_STATE_DIR=\(stateDirectory)?")
        }
        return pid
    }

    private func ports(_ variable: String, count: Int) -> [Int] {
        let first = Int(environment[variable]!)!
        return Array(first..<(first + count))
    }

    private func run(_ arguments: [String]) async throws {
        let (pid, log) = try start(arguments)
        try check(await Spawn.exitStatus(of: pid), arguments, log: log)
    }

    private func start(_ arguments: [String]) throws -> (pid: pid_t, log: String) {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let log = "\(stateDirectory)/services-\(arguments[0]).log"
        return (try Spawn.process(script, arguments: arguments, environment: environment, logPath: log), log)
    }

    private func check(_ status: Int32, _ arguments: [String], log: String) throws {
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw LocalClustersError(command: ([script] + arguments).joined(separator: " "), status: status,
                                     output: output.split(separator: "\n").suffix(20).joined(separator: "\n"))
        }
    }
}

/// A `scripts/services … --cluster` that failed, or a node that could not be killed.
public struct LocalClustersError: Error, CustomStringConvertible {
    public var command: String
    public var status: Int32
    public var output: String

    public var description: String { "\(command) failed (exit \(status)):\n\(output)" }
}
