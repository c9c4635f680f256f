import AMQPClient
import ArgumentParser
import Foundation
import OMSStore
import RedisClient
import Supervision
import WorkerRuntime

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
            and some delivered ones returned and refunded. Services and cluster stay up afterwards.

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
            if !noServices { try await DemoServices.up(console) }
            let run = DemoRun(servers: servers, console: console, shop: DemoShop(
                prefix: skuPrefix, run: String(format: "%04x", UInt16.random(in: .min ... .max))),
                orders: orders, rate: rate, seed: seed ?? UInt64.random(in: .min ... .max),
                timeout: .seconds(timeout * 60))
            try await run.prepare(cluster: cluster)
            let summary = try await run.peak()
            if stopCluster {
                console.say("stopping the cluster…")
                try await ClusterLauncher.stop(cluster.directory)
            }
            try await summary.print(json: json, cluster: cluster.directory, stopped: stopCluster) {
                print("\noms report (every order this Redis has counted, earlier demos included)")
                try await Report.show(servers: servers, json: false)
            }
        }
    }
}

/// Progress and notes: standard output for people, standard error under `--json`.
struct Console: Sendable {
    var json: Bool

    /// Unbuffered, so progress reaches a pipe or a file as it happens.
    func say(_ line: String) {
        if json { printError(line) } else { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    /// A line that replaces the previous one on a terminal.
    func progress(_ line: String) {
        let fd: Int32 = json ? 2 : 1
        guard isTerminal(fd) else { return say(line) }
        let handle = json ? FileHandle.standardError : FileHandle.standardOutput
        handle.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    func endProgress() {
        let fd: Int32 = json ? 2 : 1
        if isTerminal(fd) { (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data("\n".utf8)) }
    }
}

/// The foundation's script, found beside the checkout this oms was built in.
enum DemoServices {
    static func up(_ console: Console) async throws {
        guard let script = locate() else {
            throw CLIError("cannot find scripts/services (looked beside this oms and in the current directory); "
                + "run the demo from the checkout, or start the servers yourself and pass --no-services")
        }
        console.say("starting the local services: \(script) up")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("oms-demo-services.log").path
        try? FileManager.default.removeItem(atPath: log)
        let pid = try Spawn.process(script, arguments: ["up"], logPath: log)
        let status = await Spawn.exitStatus(of: pid)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        output.split(separator: "\n").filter { $0.contains(" is up") || $0.contains("already") }
            .forEach { console.say("  \($0)") }
        guard status == 0 else {
            throw CLIError("scripts/services up failed (exit \(status)): "
                + (output.split(separator: "\n").last.map(String.init) ?? "no output"))
        }
    }

    static func locate() -> String? {
        var directory = URL(fileURLWithPath: Spawn.currentExecutable).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("scripts/services").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        let local = FileManager.default.currentDirectoryPath + "/scripts/services"
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }
}
