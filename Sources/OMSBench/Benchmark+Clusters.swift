import AMQPClient
import CLISupport
import Foundation
import RedisClient
import SMTPClient
import Supervision

extension Benchmark {
    /// `--cluster`: the same run on a RabbitMQ cluster and a Redis Cluster,
    /// the workers given every node (with `chaos`, two of them killed half
    /// way), then, unless `singleNode` is false, the same run on one RabbitMQ
    /// and one Redis for the ratio. The clusters are the ones OMS_AMQP_URL
    /// and OMS_REDIS_URL list when they list several nodes; otherwise the
    /// bench starts its own on free ports under its directory, and stops them.
    func runOnClusters() async throws -> Bool {
        let console = Console(json: json)
        let given = try givenClusters()
        let startsSingleServers = singleNode && (given != nil || !serversGiven)
        let environment = try await workerEnvironment(console, startingServers: startsSingleServers)
        guard given != nil || startServices else {
            throw CLIError("--cluster with --no-services: list the clusters' nodes in OMS_AMQP_URL and OMS_REDIS_URL "
                + "(eval \"$(scripts/services env --cluster)\")")
        }
        let clusters = try given ?? ownClusters()
        // Ctrl-C stops the bench's own clusters too, not only the workers.
        let signals = ClusterLauncher.stoppingOnSignals(directory, afterwards: given == nil ? clusters.downBlocking : nil)
        defer { signals.forEach { $0.cancel() } }
        if given == nil {
            console.say("starting the bench's clusters under \(clusters.stateDirectory) (3 RabbitMQ nodes from port "
                + "\(clusters.amqpPorts[0]), 6 Redis nodes from port \(clusters.redisPorts[0]))…")
            try await clusters.up()
        }
        let result: BenchResult
        do {
            result = try await clusterRun(clusters, environment: environment, console: console)
        } catch {
            if given == nil { try? await stopOwn(clusters) }
            throw error
        }
        if given == nil { try await stopOwn(clusters) }
        let single = singleNode ? try await singleNodeRun(startingServers: startsSingleServers,
                                                          environment: environment, console: console) : nil
        reportClusterRun(result, clusters: clusters, single: single, smtpURL: environment["OMS_SMTP_URL"])
        return result.checks.passed && (single?.checks.passed ?? true) && (!chaos || result.killed.count == 2)
    }

    private func clusterRun(_ clusters: LocalClusters, environment: [String: String], console: Console) async throws
        -> BenchResult {
        let copies = try curve()[0]
        console.say("bench on the clusters: \(orders) orders" + (rate > 0 ? " at \(rate)/s" : ", flood")
            + (chaos ? ", a RabbitMQ node and a Redis master killed half way" : ""))
        var run = benchRun(orders: orders, copies: copies, environment: environment, console: console)
        run.servers = try ServerOptions.parse(["--amqp-url", clusters.amqpURL, "--redis-url", clusters.redisURL])
        if chaos {
            run.chaos = ClusterChaos(clusters: clusters, brokerPort: clusters.amqpPorts[0], say: console.say)
        }
        let result = try await run.run()
        if !json { result.printTable() }
        return result
    }

    /// The same run on one RabbitMQ and one Redis: the local servers of
    /// `scripts/services`, or the single node OMS_AMQP_URL names.
    private func singleNodeRun(startingServers: Bool, environment: [String: String], console: Console) async throws
        -> BenchResult {
        console.say("bench on one RabbitMQ and one Redis, for the ratio: \(orders) orders")
        var run = benchRun(orders: orders, copies: try curve()[0], environment: environment, console: console)
        if startingServers {
            let local = try await LocalServices.environment()
            run.servers = try ServerOptions.parse(["--amqp-url", local["OMS_AMQP_URL"] ?? "",
                                                   "--redis-url", local["OMS_REDIS_URL"] ?? ""])
        }
        let result = try await run.run()
        if !json { result.printTable() }
        return result
    }

    /// The clusters OMS_AMQP_URL and OMS_REDIS_URL list, when they list
    /// several nodes; their pid files are where `scripts/services up
    /// --cluster` put them (OMS_STATE_DIR, else the checkout's .state).
    private func givenClusters() throws -> LocalClusters? {
        let brokers = try AMQPURL.list(servers.amqpURL)
        let caches = try servers.redisURL.split(separator: ",").map { try RedisURL(String($0)) }
        guard brokers.count > 1 || caches.count > 1 else { return nil }
        guard brokers.count > 1 && caches.count > 1 else {
            throw CLIError("--cluster: OMS_AMQP_URL lists \(brokers.count) node(s) and OMS_REDIS_URL \(caches.count): "
                + "list every node of both clusters (eval \"$(scripts/services env --cluster)\"), or neither for the "
                + "bench to start clusters of its own")
        }
        let script = try servicesScript()
        let state = ProcessInfo.processInfo.environment["OMS_STATE_DIR"]
            ?? URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent().path + "/.state"
        return LocalClusters(script: script, clusters: ["rabbitmq", "redis"], stateDirectory: state,
                             firstAMQPPort: brokers[0].port, firstRedisPort: caches.map(\.port).min() ?? caches[0].port)
    }

    private func ownClusters() throws -> LocalClusters {
        try LocalClusters.onFreePorts(script: try servicesScript(), clusters: ["rabbitmq", "redis"],
                                      stateDirectory: directory.path + "/servers")
    }

    /// Each run's clusters are on other ports: their folder goes with them.
    private func stopOwn(_ clusters: LocalClusters) async throws {
        try await clusters.down()
        try FileManager.default.removeItem(atPath: clusters.stateDirectory)
    }

    private func servicesScript() throws -> String {
        guard let script = LocalServices.locate() else {
            throw CLIError("oms bench --cluster starts and kills nodes with scripts/services; run it from the checkout")
        }
        return script
    }

    private func reportClusterRun(_ result: BenchResult, clusters: LocalClusters, single: BenchResult?,
                                  smtpURL: String?) {
        var object = result.json
        object["smtp_url"] = smtpURL.flatMap { try? SMTPURL($0).description }
        object["cluster"] = ["rabbitmq_ports": clusters.amqpPorts, "redis_ports": clusters.redisPorts]
        object["killed"] = result.killed.map(\.json)
        if let single {
            var figures = single.json
            figures["name"] = "oms-single-node"
            figures.removeValue(forKey: "stages")
            object["single_node"] = figures
            object["ratio_single_node"] = Self.ratio(result.ordersPerSecond, single.ordersPerSecond)
        }
        if json { return Self.printLine(object) }
        for node in result.killed {
            print("killed \(node.node) at \(node.atSeconds) s (\(node.shipped) shipped)"
                + (node.promoted.map { ", replaced by \($0) after \(node.failoverSeconds ?? 0) s" } ?? "")
                + (node.restartedAtSeconds.map { ", started again by \($0) s" } ?? ""))
        }
        if let single {
            print("clusters / one server: \(Self.ratio(result.ordersPerSecond, single.ordersPerSecond))× "
                + "(\(result.ordersPerSecond) vs \(single.ordersPerSecond) orders/s)")
        }
    }
}
