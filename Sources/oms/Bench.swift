import ArgumentParser
import Foundation
import OMSBench
import OMSSettings
import Supervision

/// `oms bench`: the end-to-end load benchmark (OMSBench's `Benchmark`), with
/// the baselines of ../shared/bench run in the same invocation for ratios.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the pipeline end to end: orders per second, latency per stage, CPU and memory.",
        discussion: """
            Starts a cluster (one copy per stage unless --scale says otherwise), publishes N one-line \
            card orders over --skus SKUs with ample stock, waits until every order.shipped event and every \
            email is out, then reports and checks Redis: nothing lost, nothing done twice, no stock sold \
            twice, one email per emailed event. Throughput is N / (first publish → last order.shipped \
            receipt), latency is publish → order.shipped receipt, as ../shared/bench measures.

            Uses the servers of OMS_AMQP_URL / OMS_REDIS_URL and OMS_SMTP_URL when set (as \
            ../shared/bench/compare sets them); otherwise starts the local RabbitMQ and Redis, and \
            Postfix's smtp-sink for the emails (scripts/services up rabbitmq redis smtp-sink). N and RATE \
            from the environment are honoured, so `compare` gives both sides the same load. --baseline and \
            --peer run ../shared/bench's raw-chain and celery-peer afterwards, each on servers of its own, \
            and print the ratios.

            --cluster runs the same on a RabbitMQ cluster (3 nodes, quorum queues) and a Redis Cluster (3 \
            masters, 3 replicas), with every node in the workers' OMS_AMQP_URL and OMS_REDIS_URL: the clusters \
            those variables list when they list several nodes, else clusters of the bench's own on free ports \
            (scripts/services up --cluster, under --cluster-dir, stopped afterwards). Then the same run on one \
            RabbitMQ and one Redis (unless --no-single-node), whose throughput it prints beside. --chaos \
            also kills, with kill -9, the RabbitMQ node the workers are connected to once a quarter of the \
            orders have shipped, the Redis master of the first SKU at 45 %, and once its replica has taken \
            over starts both again; the JSON adds "killed" (which node, when, how far the flow was) and \
            the run fails unless both were killed and every check held.

            --instructions runs the pipeline at each of --instruction-orders with every worker under \
            valgrind --tool=callgrind and reports each worker's instructions per order, \
            (I(N2) − I(N1)) / (N2 − N1): repeatable whatever the machine's load. It takes minutes.

            Examples:
              oms bench --orders 20000 --baseline --peer
              oms bench --scale payment=1,2,4 --gateway-latency 50ms --prefetch 10
              RATE=500 N=10000 oms bench --json
              oms bench --instructions --instruction-orders 100,300
              oms bench --cluster --chaos --orders 5000 --json
            """)

    @OptionGroup var servers: ServerOptions
    @OptionGroup var cluster: BenchClusterOptions

    @Option(help: "Orders to publish (env N).") var orders = Int(Environment.value("N", default: "20000")) ?? 20_000
    @Option(help: "Orders per second, 0 for as fast as the broker confirms (env RATE).")
    var rate = Int(Environment.value("RATE", default: "0")) ?? 0
    @Option(help: "SKUs the orders spread over.") var skus = 20
    @Option(parsing: .upToNextOption, help: "Copies per stage, STAGE=N; STAGE=1,2,4 runs once per count (a curve).")
    var scale: [String] = []
    @Option(help: "Sandbox gateway latency per call, e.g. 50ms (env OMS_GATEWAY_LATENCY_MS).") var gatewayLatency: String?
    @Option(help: "Messages in flight per worker copy (env OMS_PREFETCH).") var prefetch: Int?
    @Flag(help: "Also run ../shared/bench/raw-chain and print the ratio.") var baseline = false
    @Flag(help: "Also run ../shared/bench/celery-peer and print the ratio.") var peer = false
    @Option(help: "SMTP server for the emails (env OMS_SMTP_URL; default: smtp-sink, started by scripts/services).")
    var smtpURL: String?
    @Flag(help: "Use the servers as they are instead of running scripts/services up.") var noServices = false
    @Flag(help: "Count each worker's instructions per order under callgrind instead of timing a run.")
    var instructions = false
    @Option(help: "With --instructions: the order counts to run, e.g. 100,300.") var instructionOrders = "100,300"
    @Flag(name: .customLong("cluster"),
          help: "Run on a RabbitMQ cluster and a Redis Cluster (given by OMS_AMQP_URL / OMS_REDIS_URL, else started).")
    var onClusters = false
    @Flag(help: "With --cluster: kill -9 a RabbitMQ node and a Redis master during the run, then start both again.")
    var chaos = false
    @Flag(inversion: .prefixedNo, help: "With --cluster: also run on one RabbitMQ and one Redis, for the ratio.")
    var singleNode = true
    @Flag(help: "Print the result as one JSON object, last (progress goes to standard error).") var json = false

    func validate() throws {
        guard orders > 0 else { throw ValidationError("--orders must be at least 1") }
        guard rate >= 0 else { throw ValidationError("--rate must not be negative") }
        guard skus > 0 else { throw ValidationError("--skus must be at least 1") }
        _ = try gatewayLatencyMS()
        if instructions {
            guard Set(try instructionCounts()).count >= 2 else {
                throw ValidationError("--instruction-orders needs two different counts, e.g. 100,300")
            }
            guard !baseline && !peer else { throw ValidationError("--instructions runs no peers") }
        }
        if chaos && !onClusters { throw ValidationError("--chaos kills cluster nodes: add --cluster") }
        if onClusters {
            guard !instructions && !baseline && !peer else {
                throw ValidationError("--cluster runs neither --instructions nor the peers; run those without it")
            }
            guard !scale.contains(where: { $0.contains(",") }) else {
                throw ValidationError("--cluster runs one scale, not a curve: give each stage one count")
            }
        }
    }

    func run() async throws {
        try await CLI.run(servers) {
            var bench = Benchmark(servers: servers, directory: cluster.directory, binDirectory: Cluster.defaultBinDirectory)
            bench.serversGiven = Environment.current[OMSSetting.amqpURL.variable] != nil
            bench.smtpURL = smtpURL ?? Environment.current[OMSSetting.smtpURL.variable]
            bench.startServices = !noServices
            (bench.orders, bench.rate, bench.skus, bench.scale) = (orders, rate, skus, scale)
            (bench.gatewayLatencyMS, bench.prefetch) = (try gatewayLatencyMS(), prefetch)
            (bench.baseline, bench.peer, bench.json) = (baseline, peer, json)
            (bench.cluster, bench.chaos, bench.singleNode) = (onClusters, chaos, singleNode)
            let passed = instructions ? try await bench.countInstructions(at: try instructionCounts())
                : try await bench.run()
            guard passed else { throw ExitCode.failure }
        }
    }

    private func gatewayLatencyMS() throws -> Int? {
        guard let gatewayLatency else { return nil }
        guard let milliseconds = Int(gatewayLatency.replacingOccurrences(of: "ms", with: "")), milliseconds >= 0 else {
            throw ValidationError("--gateway-latency '\(gatewayLatency)': give milliseconds, e.g. 50ms")
        }
        return milliseconds
    }

    private func instructionCounts() throws -> [Int] {
        let counts = instructionOrders.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--instruction-orders '\(instructionOrders)': give order counts, e.g. 100,300")
        }
        return counts.compactMap { $0 }
    }
}

/// The bench's own cluster directory, apart from `oms cluster`'s.
struct BenchClusterOptions: ParsableArguments {
    @Option(name: .customLong("cluster-dir"), help: "Where the bench's cluster keeps its state and logs.")
    var dir = Environment.value("OMS_STATE_DIR", default: ".state") + "/bench-cluster"

    var directory: ClusterDirectory { ClusterDirectory(path: URL(fileURLWithPath: dir).standardizedFileURL.path) }
}
