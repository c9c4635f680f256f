import AMQPClient
import Foundation
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// Starts a supervisor and waits for its copies.
public struct ClusterLauncher {
    public var servers: ServerOptions
    public var directory: ClusterDirectory
    public var binDirectory: String
    public var grace: Int
    /// Variables for the supervisor, which its copies inherit with the rest
    /// of this process's environment.
    public var environment: [String: String]
    /// What the supervisor is started under (`ip netns exec NAME`: the
    /// cluster in a network namespace); its copies inherit it.
    public var commandPrefix: [String] = []
    public var say: (String) -> Void

    public init(servers: ServerOptions, directory: ClusterDirectory, binDirectory: String, grace: Int,
                environment: [String: String] = [:], say: @escaping (String) -> Void = { print($0) }) {
        self.servers = servers
        self.directory = directory
        self.binDirectory = binDirectory
        self.grace = grace
        self.environment = environment
        self.say = say
    }

    public func start(_ scale: [String: Int]) throws {
        if let state = directory.runningState() {
            throw CLIError("a cluster is already running in \(directory.path) (supervisor pid "
                + "\(state.supervisorPID)); change it with `oms cluster scale`, or stop it with `oms cluster down`")
        }
        let missing = Set(scale.keys.map { ClusterProgram($0, binDirectory: binDirectory).executable }).sorted()
            .filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else {
            throw CLIError("no executable at \(missing.joined(separator: ", ")); "
                + "build them with `swift build -c release`, or point --bin-dir at them")
        }
        try directory.create()
        try directory.writeScale(scale)
        let command = commandPrefix + [Spawn.currentExecutable, "cluster", "supervise", "--dir", directory.path,
                                       "--grace", "\(grace)", "--bin-dir", binDirectory]
        let supervisor = try Spawn.process(
            command[0], arguments: Array(command.dropFirst()),
            environment: environment.merging(["OMS_AMQP_URL": servers.amqpURL, "OMS_REDIS_URL": servers.redisURL]) {
                _, url in url
            },
            logPath: directory.supervisorLog, newSession: true)
        say("supervisor started (pid \(supervisor)); its log: \(directory.supervisorLog)")
    }

    /// While the returned sources live, SIGINT and SIGTERM stop the cluster
    /// in `directory`, then run `afterwards` (stopping servers the command
    /// started) and end this process: the supervisor runs in a session of
    /// its own, so neither a terminal's Ctrl-C nor a signal to this process
    /// alone would reach it.
    public static func stoppingOnSignals(_ directory: ClusterDirectory,
                                         afterwards: (@Sendable () -> Void)? = nil) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if let state = directory.runningState() {
                    FileHandle.standardError.write(Data("stopping the cluster in \(directory.path)…\n".utf8))
                    kill(state.supervisorPID, SIGTERM)
                    while Spawn.isAlive(state.supervisorPID) { usleep(100_000) }
                }
                afterwards?()
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// SIGTERM to the supervisor, which stops every copy; returns once it has ended.
    public static func stop(_ directory: ClusterDirectory) async throws {
        guard let state = directory.runningState() else { return }
        kill(state.supervisorPID, SIGTERM)
        while Spawn.isAlive(state.supervisorPID) {
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until the supervisor has taken up `scale` and runs every copy it asks for.
    public static func waitForCopies(_ scale: [String: Int], directory: ClusterDirectory, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let state = directory.runningState(), !state.stopping, state.scale == scale,
               state.scale.allSatisfy({ stage, wanted in
                   state.copies(of: stage).filter { $0.pid != nil }.count == wanted
                       && state.copies(of: stage).count == wanted
               }) {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError("the cluster's copies did not all start within \(timeout); see \(directory.supervisorLog)")
    }

    /// Waits until every stage's queue has as many consumers as copies
    /// wanted: the workers have connected and declared their topology. (The
    /// HTTP server has no queue: it counts once its copy runs.)
    public static func waitForConsumers(_ scale: [String: Int], servers: ServerOptions, directory: ClusterDirectory,
                                 timeout: Duration) async throws {
        try await waitForCopies(scale, directory: directory, timeout: timeout)
        let amqp = try await servers.amqp("cluster up")
        defer { Task { await amqp.close() } }
        let deadline = ContinuousClock.now + timeout
        var waitingFor: [String] = []
        while ContinuousClock.now < deadline {
            guard let state = directory.runningState() else {
                throw CLIError("the supervisor stopped; see \(directory.supervisorLog)")
            }
            waitingFor = []
            for (stage, wanted) in state.scale.sorted(by: { $0.key < $1.key })
            where wanted > 0 && ClusterProgram.hasQueue(stage) {
                let consumers = (try? await amqp.inspect(queue: "oms.\(stage)"))?.consumers ?? 0
                if consumers < wanted { waitingFor.append("\(stage) \(consumers)/\(wanted)") }
            }
            if waitingFor.isEmpty { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CLIError("workers not consuming after \(timeout): \(waitingFor.joined(separator: ", ")); "
            + "see the logs in \(directory.logDirectory)")
    }
}
