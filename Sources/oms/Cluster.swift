import AMQPClient
import ArgumentParser
import Foundation
import OMSContract
import OMSSettings
import Supervision
import WorkerRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `oms cluster up|status|scale|down`: the workers and the HTTP server on this
/// machine, run by a supervisor process (`oms cluster supervise`) that
/// outlives the command.
struct Cluster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the workers and oms serve on this machine: N copies per stage, restarted when they die.",
        discussion: """
            A supervisor process runs the copies, restarts one that dies (after 1 s, doubling to 30 s \
            when it keeps dying), writes each copy's output to DIR/logs/oms-STAGE-N.log and its own to \
            DIR/supervisor.log, and stops them with SIGTERM, then SIGKILL after the grace period. A copy \
            that stops showing it is alive (SIGSTOP, a starved process) for OMS_LIVENESS_TIMEOUT seconds \
            (30; 0 turns it off) is killed and started again, so its unacked messages reach the other copies.

            Example: oms cluster up --scale payment=4 pick=2
            """,
        subcommands: [Up.self, ClusterStatus.self, Scale.self, Down.self, Supervise.self])
}

/// Where a cluster keeps its files.
struct ClusterOptions: ParsableArguments {
    @Option(help: "The cluster's state and log directory (env OMS_CLUSTER_DIR).")
    var dir = Environment.value("OMS_CLUSTER_DIR",
                                default: Environment.value("OMS_STATE_DIR", default: ".state") + "/cluster")

    var directory: ClusterDirectory {
        ClusterDirectory(path: URL(fileURLWithPath: dir).standardizedFileURL.path)
    }

    /// The running cluster's state, or a one-line error saying how to start one.
    func running() throws -> ClusterState {
        guard let state = directory.runningState() else {
            throw CLIError("no cluster is running in \(directory.path); start one with `oms cluster up`")
        }
        return state
    }
}

extension Cluster {
    static let stages = Stage.allCases.map(\.rawValue)
    /// The stages and the HTTP server, `serve`.
    static let programs = stages + [ClusterProgram.server]
    static let defaultBinDirectory = URL(fileURLWithPath: Spawn.currentExecutable).deletingLastPathComponent().path

    /// `STAGE=N` arguments as a scale; each must name one count, and the
    /// server at most one copy, for its copies would share one port.
    static func scale(_ arguments: [String]) throws -> [String: Int] {
        var scale: [String: Int] = [:]
        for argument in arguments {
            let request = try ScaleRequest(parsing: argument, stages: programs)
            guard request.copies.count == 1 else {
                throw CLIError("'\(argument)': give one number of copies per stage here")
            }
            guard request.stage != ClusterProgram.server || request.copies[0] <= 1 else {
                throw CLIError("'\(argument)': serve=0 or serve=1, for its copies would share one port")
            }
            scale[request.stage] = request.copies[0]
        }
        return scale
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the supervisor, the workers and oms serve, one copy each unless --scale says otherwise.",
            discussion: """
                Waits until every worker copy consumes from its queue, then prints the cluster's status. \
                The workers and the server get OMS_AMQP_URL and OMS_REDIS_URL from the options below and \
                every other OMS_* variable from this command's environment: the server listens on \
                OMS_HTTP_PORT (8080) and takes its secrets as `oms serve --help` says; serve=0 leaves it out.

                Example: oms cluster up --scale payment=4 pick=2
                """)

        @OptionGroup var servers: ServerOptions
        @OptionGroup var cluster: ClusterOptions

        @Option(parsing: .upToNextOption, help: "Copies of a stage, STAGE=N (several allowed).")
        var scale: [String] = []

        @Option(help: "Seconds a copy has to finish its in-flight messages after SIGTERM, before SIGKILL.")
        var grace = 15

        @Option(help: "Where the oms-STAGE executables and oms are (default: beside this oms).")
        var binDir = Cluster.defaultBinDirectory

        @Option(help: "Seconds to wait for every copy to consume from its queue.")
        var timeout = 60

        func run() async throws {
            try await CLI.run(servers) {
                let wanted = Dictionary(uniqueKeysWithValues: Cluster.programs.map { ($0, 1) })
                    .merging(try Cluster.scale(scale)) { _, new in new }
                try ClusterLauncher(servers: servers, directory: cluster.directory, binDirectory: binDir,
                                    grace: grace).start(wanted)
                try await ClusterLauncher.waitForConsumers(wanted, servers: servers, directory: cluster.directory,
                                                           timeout: .seconds(timeout))
                try await ClusterReport.print(servers: servers, state: try cluster.running(), json: false)
                print("\nlogs: \(cluster.directory.logDirectory); stop with `oms cluster down`")
            }
        }
    }

    struct ClusterStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Each stage's copies, their uptime and restarts, and its queue's depth and consumers.",
            discussion: "Example: oms cluster status --json")

        @OptionGroup var servers: ServerOptions
        @OptionGroup var cluster: ClusterOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run(servers) {
                try await ClusterReport.print(servers: servers, state: try cluster.running(), json: json)
            }
        }
    }

    struct Scale: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change how many copies of a stage run, while the cluster runs.",
            discussion: """
                New copies start at once; extra copies get SIGTERM and finish what they hold.

                Example: oms cluster scale payment=4 pick=2
                """)

        @OptionGroup var servers: ServerOptions
        @OptionGroup var cluster: ClusterOptions

        @Argument(help: "STAGE=N, one or more.")
        var requests: [String]

        func run() async throws {
            try await CLI.run(servers) {
                let changes = try Cluster.scale(requests)
                guard !changes.isEmpty else { throw CLIError("say which stage: oms cluster scale STAGE=N") }
                let state = try cluster.running()
                let directory = cluster.directory
                let scale = state.scale.merging(changes) { _, new in new }
                try directory.writeScale(scale)
                kill(state.supervisorPID, SIGHUP)
                try await ClusterLauncher.waitForCopies(scale, directory: directory, timeout: .seconds(60))
                try await ClusterReport.print(servers: servers, state: try cluster.running(), json: false)
            }
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop every copy (SIGTERM, then SIGKILL after the grace period) and the supervisor.",
            discussion: "Example: oms cluster down")

        @OptionGroup var cluster: ClusterOptions

        func run() async throws {
            guard let state = cluster.directory.runningState() else {
                print("no cluster is running in \(cluster.directory.path)")
                return
            }
            let copies = state.copies.filter { $0.pid != nil }.count
            print("stopping \(copies) copies (supervisor pid \(state.supervisorPID))…")
            try await ClusterLauncher.stop(cluster.directory)
            print("cluster stopped; logs stay in \(cluster.directory.logDirectory)")
        }
    }

    struct Supervise: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The supervisor itself, as `oms cluster up` starts it (not for direct use).",
            discussion: "Example: oms cluster supervise --dir .state/cluster --grace 15",
            shouldDisplay: false)

        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Seconds between SIGTERM and SIGKILL.") var grace = 15
        @Option(help: "Where the oms-STAGE executables and oms are.")
        var binDir = Cluster.defaultBinDirectory

        func run() throws {
            let liveness = try OMSSetting.livenessTimeout.value()
            let supervisor = Supervisor(directory: cluster.directory, binDirectory: binDir, grace: .seconds(grace),
                                        livenessTimeout: liveness == 0 ? nil : .seconds(liveness)) { line in
                FileHandle.standardOutput.write(Data("\(Output.local(Date())) \(line)\n".utf8))
            }
            try supervisor.run()
        }
    }
}
