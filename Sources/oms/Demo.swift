import AMQPClient
import ArgumentParser
import Foundation
import OMSDemo
import OMSStore
import RedisClient
import Supervision

/// `oms demo`: the main job on a fresh machine. Services up, topology,
/// cluster, a catalog, then a sales peak published while the progress shows,
/// and a summary read back from Redis at the end.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a sales peak end to end: services, workers, a catalog, orders from three channels, a summary.",
        discussion: """
            Starts the local services (scripts/services up), applies the topology, starts the cluster \
            (oms cluster up), stocks a catalog of 11 SKUs, then publishes the orders: web orders paid by \
            card (some declined), Amazon and eBay orders prepaid; two SKUs sell out and go to backorder \
            until a restock halfway; some orders are cancelled; most shipped orders are then delivered \
            and some delivered ones returned and refunded. The dashboard (oms serve) starts before the peak \
            at http://127.0.0.1:OMS_HTTP_PORT (8080), password OMS_ADMIN_PASSWORD (default demo). \
            Services, cluster and dashboard stay up afterwards.

            Example: oms demo --orders 3000
            """)

    @OptionGroup var servers: ServerOptions
    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Orders in the peak.") var orders = 3_000
    @Option(help: "Orders published per second (0: as fast as the broker confirms).") var rate = 300
    @Option(help: "Seed of the order generator (default: a new one each run).") var seed: UInt64?
    @Option(help: "Prefix of the catalog's SKUs, to keep several demos apart on one Redis.") var skuPrefix = ""
    @Option(help: "Minutes to wait for the orders to settle.") var timeout = 15
    @Flag(help: "Use the servers as they are instead of running scripts/services up.") var noServices = false
    @Flag(help: "Stop the cluster at the end (the services stay up).") var stopCluster = false
    @Flag(help: "Print the summary as one JSON object, last (progress goes to standard error).") var json = false

    func validate() throws {
        guard orders > 0 else { throw ValidationError("--orders must be at least 1") }
        guard rate >= 0 else { throw ValidationError("--rate must not be negative") }
    }

    func run() async throws {
        try await CLI.run(servers) {
            let console = Console(json: json)
            if !noServices { try await LocalServices.up(console: console) }
            let run = DemoRun(servers: servers, console: console, shop: DemoShop(
                prefix: skuPrefix, run: String(format: "%04x", UInt16.random(in: .min ... .max))),
                orders: orders, rate: rate, seed: seed ?? UInt64.random(in: .min ... .max),
                timeout: .seconds(timeout * 60))
            try await run.prepare(cluster: cluster.directory, binDirectory: Cluster.defaultBinDirectory)
            let dashboard = DemoDashboard(servers: servers,
                                          directory: URL(fileURLWithPath: cluster.directory.path)
                                              .deletingLastPathComponent().appendingPathComponent("dashboard").path)
            if let started = await dashboard.start(console: console) {
                console.say("dashboard: \(started.url) (sign in with the password '\(started.password)'; "
                    + "oms serve, pid \(started.pid), log \(dashboard.logPath)): watch the peak arrive")
            }
            let summary = try await run.peak()
            if stopCluster {
                console.say("stopping the cluster and the dashboard…")
                try await ClusterLauncher.stop(cluster.directory)
                dashboard.stop()
            }
            try await summary.print(json: json, cluster: cluster.directory, stopped: stopCluster) {
                print("\noms report (every order this Redis has counted, earlier demos included)")
                try await Report.show(servers: servers, json: false)
            }
            if !stopCluster && !json {
                print("the dashboard keeps running too; stop it with: kill $(cat \(dashboard.pidPath))")
            }
        }
    }
}
