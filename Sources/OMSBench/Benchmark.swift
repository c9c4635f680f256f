import CLISupport
import Foundation
import OMSContract
import SMTPClient
import Supervision

/// `oms bench`: the pipeline measured end to end on a cluster of its own,
/// with the baselines of ../shared/bench run in the same invocation for
/// ratios. The verb reads its options into one of these and calls `run()`
/// (or `countInstructions(at:)`).
public struct Benchmark {
    public var servers: ServerOptions
    /// OMS_AMQP_URL named the servers (as ../shared/bench/compare does): the
    /// bench starts neither RabbitMQ nor Redis.
    public var serversGiven = false
    /// Where notify sends the emails (--smtp-url, OMS_SMTP_URL); nil: to
    /// Postfix's smtp-sink, which `scripts/services up smtp-sink` starts.
    public var smtpURL: String?
    /// False under --no-services: nothing is started, the servers are used as they are.
    public var startServices = true
    public var orders = 20_000
    /// Orders per second; 0 floods.
    public var rate = 0
    public var skus = 20
    /// `STAGE=N`, or `STAGE=1,2,4` for one run per count.
    public var scale: [String] = []
    public var gatewayLatencyMS: Int?
    public var prefetch: Int?
    public var baseline = false
    public var peer = false
    public var json = false
    /// Run on a RabbitMQ cluster and a Redis Cluster (`runOnClusters`).
    public var cluster = false
    /// With `cluster`: kill a RabbitMQ node and a Redis master half way.
    public var chaos = false
    /// With `cluster`: run on one RabbitMQ and one Redis too, for the ratio.
    public var singleNode = true
    public var directory: ClusterDirectory
    /// The worker executables.
    public var binDirectory: String

    public init(servers: ServerOptions, directory: ClusterDirectory, binDirectory: String) {
        self.servers = servers
        self.directory = directory
        self.binDirectory = binDirectory
    }

    /// One run per count of the scale's curve (one run without a curve),
    /// then the peers asked for; prints a table per run and the ratios, or
    /// under `json` one JSON object last. True when every check passed.
    public func run() async throws -> Bool {
        if cluster { return try await runOnClusters() }
        let console = Console(json: json)
        let environment = try await workerEnvironment(console, startingServers: !serversGiven)
        let signals = ClusterLauncher.stoppingOnSignals(directory)
        defer { signals.forEach { $0.cancel() } }
        var results: [BenchResult] = []
        for copies in try curve() {
            console.say("bench: \(orders) orders" + (rate > 0 ? " at \(rate)/s" : ", flood")
                + ", copies " + copies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            let result = try await benchRun(orders: orders, copies: copies, environment: environment,
                                            console: console).run()
            if !json { result.printTable() }
            results.append(result)
        }
        let peers = try await BenchPeers(orders: orders, rate: rate, console: console)
            .run(baseline: baseline, peer: peer)
        report(results, peers: peers, smtpURL: environment["OMS_SMTP_URL"])
        return results.allSatisfy(\.checks.passed)
    }

    func benchRun(orders: Int, copies: [String: Int], environment: [String: String], console: Console) -> BenchRun {
        BenchRun(servers: servers, orders: orders, rate: rate, skus: skus, copies: copies, directory: directory,
                 binDirectory: binDirectory, environment: environment, console: console)
    }

    /// Starts the local servers the bench needs (RabbitMQ and Redis when
    /// `startingServers`, smtp-sink unless an SMTP URL was given) and
    /// returns what the workers get besides the server URLs.
    /// Postfix's smtp-sink accepts and discards, as the baselines' does;
    /// the Python sink that `make demo` reads mail from would be measured
    /// beside oms.
    func workerEnvironment(_ console: Console, startingServers: Bool) async throws -> [String: String] {
        var environment: [String: String] = [:]
        if let gatewayLatencyMS { environment["OMS_GATEWAY_LATENCY_MS"] = "\(gatewayLatencyMS)" }
        if let prefetch { environment["OMS_PREFETCH"] = "\(prefetch)" }
        let missing = (startingServers ? ["rabbitmq", "redis"] : []) + (smtpURL == nil ? ["smtp-sink"] : [])
        if startServices && !missing.isEmpty { try await LocalServices.up(missing, console: console) }
        if let smtpURL {
            environment["OMS_SMTP_URL"] = smtpURL
        } else if startServices {
            guard let sink = try await LocalServices.environment()["OMS_SMTP_SINK_URL"] else {
                throw CLIError("`scripts/services env` names no OMS_SMTP_SINK_URL; give the SMTP server with "
                    + "--smtp-url or OMS_SMTP_URL")
            }
            environment["OMS_SMTP_URL"] = sink
        }
        if let url = environment["OMS_SMTP_URL"] {
            console.say("emails go to \(try SMTPURL(url))" + (smtpURL == nil ? " (Postfix's smtp-sink)" : ""))
        } else {
            console.say("emails go to the notify worker's default server (--no-services and no OMS_SMTP_URL)")
        }
        return environment
    }

    /// One scale per run: every stage at 1 unless named, and a stage named
    /// with several counts giving one run per count.
    func curve() throws -> [[String: Int]] {
        let stages = Stage.allCases.map(\.rawValue)
        let requests = try scale.map { try ScaleRequest(parsing: $0, stages: stages) }
        let base = Dictionary(uniqueKeysWithValues: stages.map { ($0, 1) })
            .merging(requests.filter { $0.copies.count == 1 }.map { ($0.stage, $0.copies[0]) }) { _, new in new }
        guard let varying = requests.first(where: { $0.copies.count > 1 }) else { return [base] }
        return varying.copies.map { base.merging([varying.stage: $0]) { _, new in new } }
    }

    private func report(_ results: [BenchResult], peers: [String: [String: Any]], smtpURL: String?) {
        guard var object = results.last?.json else { return }
        object["smtp_url"] = smtpURL.flatMap { try? SMTPURL($0).description }
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
            let ratio = Self.ratio(ours, theirs)
            object["ratio_\(name.replacingOccurrences(of: "-", with: "_"))"] = ratio
            if !json {
                print("oms / \(name): \(ratio)× (\(ours) vs \(theirs) orders/s)", terminator: "")
                if let theirP99 = figures["p99_ms"] as? Double, let ourP99 = object["p99_ms"] as? Double {
                    print("; p99 \(ourP99) vs \(theirP99) ms", terminator: "")
                }
                print()
            }
        }
        if json { Self.printLine(object) }
    }

    /// Ours over theirs, to three decimals; 0 when theirs is 0.
    static func ratio(_ ours: Double, _ theirs: Double) -> Double {
        theirs > 0 ? (ours / theirs * 1000).rounded() / 1000 : 0
    }

    /// One JSON object on one line, keys sorted: the last line `compare` reads.
    static func printLine(_ object: [String: Any]) {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data()
        print(String(decoding: data, as: UTF8.self))
    }
}

extension String {
    func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
