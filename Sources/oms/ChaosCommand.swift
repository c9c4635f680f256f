import ArgumentParser
import CLISupport
import Foundation
import OMSChaos
import OMSSettings
import Supervision

/// `oms chaos`: the history checker (OMSChaos's `Chaos`).
struct ChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "Run orders through faults and check that nothing was lost, doubled or oversold.",
        discussion: """
            Starts the local services (scripts/services) and a cluster of one copy per stage, then runs \
            one phase per fault: the phase's orders (one or two lines, a cancel every --cancel-every-th, a \
            restock per SKU half way) are published with confirms at --rate while the fault is injected \
            half way, and once every order has settled the checker judges the phase from what it recorded \
            (every confirmed publish, every event on a queue of its own bound to oms.events) and from Redis \
            and the mail sink: every confirmed order settled; each order's event versions 1, 2, … with no \
            gap or repeat; per SKU, stocked + restocked = available + reserved + shipped; no email \
            delivered twice; money captured for exactly the orders that were paid.

            It restarts and alarms the local servers: do not point it at servers others use. The partition \
            faults run the cluster in a network namespace of its own, linked to each server by a veth pair \
            whose link goes down: they need root (or sudo without a password) and iproute2.

            Faults: \(ChaosFault.allCases.map(\.rawValue).joined(separator: ", ")).

            Examples:
              oms chaos --orders 20000 --json
              oms chaos --orders 2000 --faults worker-kill,redis-restart
            """)

    @OptionGroup var cluster: ChaosClusterOptions
    @Option(help: "Orders over all phases.") var orders = 20_000
    @Option(help: "Orders per second.") var rate = 200
    @Option(help: "SKUs per phase.") var skus = 20
    @Option(help: "Every Nth order is also cancelled.") var cancelEvery = 20
    @Option(help: "Faults to run, comma-separated, in order (default: all).") var faults: String?
    @Option(help: "Seconds a lasting fault lasts (hang, alarm, OOM, mail away).") var hold = 10
    @Option(help: "Seconds a partition lasts.") var partitionHold = 20
    @Flag(help: "Print the result as one JSON object, last (progress goes to standard error).") var json = false

    func validate() throws {
        guard orders > 0, rate > 0, skus > 0, cancelEvery > 0, hold > 0, partitionHold > 0 else {
            throw ValidationError("--orders, --rate, --skus, --cancel-every, --hold and --partition-hold must be at least 1")
        }
        guard orders >= (try chosenFaults()).count else {
            throw ValidationError("--orders must be at least one per fault")
        }
    }

    func run() async throws {
        var chaos = Chaos(directory: cluster.directory, binDirectory: Cluster.defaultBinDirectory)
        (chaos.orders, chaos.rate, chaos.skus, chaos.cancelEvery) = (orders, rate, skus, cancelEvery)
        (chaos.faults, chaos.hold, chaos.json) = (try chosenFaults(), .seconds(hold), json)
        chaos.partitionHold = .seconds(partitionHold)
        try await CLI.run(try ServerOptions.parse([])) {
            guard try await chaos.run() else { throw ExitCode.failure }
        }
    }

    private func chosenFaults() throws -> [ChaosFault] {
        guard let faults else { return ChaosFault.allCases }
        return try faults.split(separator: ",").map { name in
            guard let fault = ChaosFault(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--faults: no fault '\(name)'; choose from "
                    + ChaosFault.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return fault
        }
    }
}

/// The checker's own cluster directory, apart from `oms cluster`'s.
struct ChaosClusterOptions: ParsableArguments {
    @Option(name: .customLong("cluster-dir"), help: "Where the checker's cluster keeps its state and logs.")
    var dir = Environment.value("OMS_STATE_DIR", default: ".state") + "/chaos-cluster"

    var directory: ClusterDirectory { ClusterDirectory(path: URL(fileURLWithPath: dir).standardizedFileURL.path) }
}
