import ArgumentParser
import Foundation
import Supervision

/// `oms bench`: the end-to-end load benchmark, with the baselines of
/// ../shared/bench run in the same invocation for ratios.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the pipeline end to end: orders per second, latency per stage, CPU and memory.",
        discussion: """
            Starts a cluster (one copy per stage unless --scale says otherwise), publishes N one-line \
            card orders over --skus SKUs with ample stock, waits until every order.shipped event and every \
            email is out, then reports and checks Redis: nothing lost, nothing done twice, no stock sold \
            twice, one email per emailed event. Throughput is N / (first publish → last order.shipped \
            receipt), latency is publish → order.shipped receipt, as ../shared/bench measures.

            Uses the servers of OMS_AMQP_URL / OMS_REDIS_URL when set (as ../shared/bench/compare sets \
            them); otherwise starts the local services. N and RATE from the environment are honoured, so \
            `compare` gives both sides the same load. --baseline and --peer run ../shared/bench's \
            raw-chain and celery-peer afterwards, each on servers of its own, and print the ratios.

            Examples:
              oms bench --orders 20000 --baseline --peer
              oms bench --scale payment=1,2,4 --gateway-latency 50ms --prefetch 10
              RATE=500 N=10000 oms bench --json
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
    @Flag(help: "Use the servers as they are instead of running scripts/services up.") var noServices = false
    @Flag(help: "Print the result as one JSON object, last (progress goes to standard error).") var json = false

    func validate() throws {
        guard orders > 0 else { throw ValidationError("--orders must be at least 1") }
        guard rate >= 0 else { throw ValidationError("--rate must not be negative") }
        guard skus > 0 else { throw ValidationError("--skus must be at least 1") }
    }

    func run() async throws {
        try await CLI.run(servers) {
            let console = Console(json: json)
            try configureWorkers()
            let serversGiven = ProcessInfo.processInfo.environment["OMS_AMQP_URL"] != nil
            if !noServices && !serversGiven { try await DemoServices.up(console) }
            let signals = ClusterLauncher.stoppingOnSignals(cluster.directory)
            defer { signals.forEach { $0.cancel() } }
            var results: [BenchResult] = []
            for copies in try curve() {
                console.say("bench: \(orders) orders" + (rate > 0 ? " at \(rate)/s" : ", flood")
                    + ", copies " + copies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
                let result = try await BenchRun(servers: servers, orders: orders, rate: rate, skus: skus, copies: copies,
                                                directory: cluster.directory, console: console).run()
                if !json { result.printTable() }
                results.append(result)
            }
            let peers = try await BenchPeers(orders: orders, rate: rate, console: console)
                .run(baseline: baseline, peer: peer)
            report(results, peers: peers)
            guard results.allSatisfy(\.checks.passed) else { throw ExitCode.failure }
        }
    }

    /// The workers read these from the environment the supervisor passes on.
    private func configureWorkers() throws {
        if let gatewayLatency {
            guard let milliseconds = Int(gatewayLatency.replacingOccurrences(of: "ms", with: "")), milliseconds >= 0 else {
                throw CLIError("--gateway-latency '\(gatewayLatency)': give milliseconds, e.g. 50ms")
            }
            setenv("OMS_GATEWAY_LATENCY_MS", "\(milliseconds)", 1)
        }
        if let prefetch { setenv("OMS_PREFETCH", "\(prefetch)", 1) }
    }

    /// One scale per run: every stage at 1 unless named, and a stage named
    /// with several counts giving one run per count.
    func curve() throws -> [[String: Int]] {
        let requests = try scale.map { try ScaleRequest(parsing: $0, stages: Cluster.stages) }
        let base = Dictionary(uniqueKeysWithValues: Cluster.stages.map { ($0, 1) })
            .merging(requests.filter { $0.copies.count == 1 }.map { ($0.stage, $0.copies[0]) }) { _, new in new }
        guard let varying = requests.first(where: { $0.copies.count > 1 }) else { return [base] }
        return varying.copies.map { base.merging([varying.stage: $0]) { _, new in new } }
    }

    private func report(_ results: [BenchResult], peers: [String: [String: Any]]) {
        guard var object = results.last?.json else { return }
        if results.count > 1 {
            object["curve"] = results.map { ["copies": $0.copies, "orders_per_s": $0.ordersPerSecond] as [String: Any] }
            if !json {
                print("\nscaling curve")
                Output.table(["COPIES", "ORDERS/S"], results.map {
                    [$0.copies.sorted { $0.key < $1.key }.filter { $0.value != 1 }.map { "\($0.key)=\($0.value)" }
                        .joined(separator: " ").ifEmpty("1 each"), "\($0.ordersPerSecond)"]
                })
            }
        }
        for (name, figures) in peers.sorted(by: { $0.key < $1.key }) {
            object[name] = figures
            guard let theirs = figures["orders_per_s"] as? Double, theirs > 0,
                  let ours = object["orders_per_s"] as? Double else { continue }
            let ratio = (ours / theirs * 1000).rounded() / 1000
            object["ratio_\(name.replacingOccurrences(of: "-", with: "_"))"] = ratio
            if !json {
                print("oms / \(name): \(ratio)× (\(ours) vs \(theirs) orders/s)", terminator: "")
                if let theirP99 = figures["p99_ms"] as? Double, let ourP99 = object["p99_ms"] as? Double {
                    print("; p99 \(ourP99) vs \(theirP99) ms", terminator: "")
                }
                print()
            }
        }
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// The bench's own cluster directory, apart from `oms cluster`'s.
struct BenchClusterOptions: ParsableArguments {
    @Option(name: .customLong("cluster-dir"), help: "Where the bench's cluster keeps its state and logs.")
    var dir = Environment.value("OMS_STATE_DIR", default: ".state") + "/bench-cluster"

    var directory: ClusterDirectory { ClusterDirectory(path: URL(fileURLWithPath: dir).standardizedFileURL.path) }
}

extension String {
    func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
