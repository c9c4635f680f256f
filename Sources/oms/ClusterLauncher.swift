import AMQPClient
import Foundation
import Supervision
import OMSDomain
import WorkerRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Starts a supervisor and waits for its copies.
struct ClusterLauncher {
    var servers: ServerOptions
    var directory: ClusterDirectory
    var binDirectory: String
    var grace: Int
    var say: (String) -> Void = { print($0) }

    func start(_ scale: [String: Int]) throws {
        if let state = directory.runningState() {
            throw CLIError("a cluster is already running in \(directory.path) (supervisor pid "
                + "\(state.supervisorPID)); change it with `oms cluster scale`, or stop it with `oms cluster down`")
        }
        let missing = scale.keys.sorted().map { "\(binDirectory)/oms-\($0)" }
            .filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else {
            throw CLIError("no worker executable at \(missing.joined(separator: ", ")); "
                + "build them with `swift build -c release`, or point --bin-dir at them")
        }
        try directory.create()
        try directory.writeScale(scale)
        let supervisor = try Spawn.process(
            Spawn.currentExecutable,
            arguments: ["cluster", "supervise", "--dir", directory.path, "--grace", "\(grace)",
                        "--bin-dir", binDirectory],
            environment: ["OMS_AMQP_URL": servers.amqpURL, "OMS_REDIS_URL": servers.redisURL],
            logPath: directory.supervisorLog, newSession: true)
        say("supervisor started (pid \(supervisor)); its log: \(directory.supervisorLog)")
    }

    /// While the returned sources live, SIGINT and SIGTERM stop the cluster
    /// in `directory` and then end this process: the supervisor runs in a
    /// session of its own, so neither a terminal's Ctrl-C nor a signal to
    /// this process alone would reach it.
    static func stoppingOnSignals(_ directory: ClusterDirectory) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if let state = directory.runningState() {
                    FileHandle.standardError.write(Data("stopping the cluster in \(directory.path)…\n".utf8))
                    kill(state.supervisorPID, SIGTERM)
                    while Spawn.isAlive(state.supervisorPID) { usleep(100_000) }
                }
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// SIGTERM to the supervisor, which stops every copy; returns once it has ended.
    static func stop(_ directory: ClusterDirectory) async throws {
        guard let state = directory.runningState() else { return }
        kill(state.supervisorPID, SIGTERM)
        while Spawn.isAlive(state.supervisorPID) {
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until the supervisor has taken up `scale` and runs every copy it asks for.
    static func waitForCopies(_ scale: [String: Int], directory: ClusterDirectory, timeout: Duration) async throws {
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
    /// wanted: the workers have connected and declared their topology.
    static func waitForConsumers(_ scale: [String: Int], servers: ServerOptions, directory: ClusterDirectory,
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
            for (stage, wanted) in state.scale.sorted(by: { $0.key < $1.key }) where wanted > 0 {
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

/// `oms cluster status` output: the supervisor's state beside the broker's view.
enum ClusterReport {
    static func print(servers: ServerOptions, state: ClusterState, json: Bool) async throws {
        let queues = await queueStates(servers: servers, stages: state.scale.keys.sorted())
        let now = Date()
        let stages = state.scale.keys.sorted().map { stage in
            stageFigures(stage, wanted: state.scale[stage] ?? 0, copies: state.copies(of: stage),
                         queue: queues[stage], now: now)
        }
        if json {
            Output.json(["supervisor_pid": Int(state.supervisorPID), "started_at": RFC3339.format(state.startedAt),
                         "stages": stages] as [String: Any])
            return
        }
        Swift.print("supervisor pid \(state.supervisorPID), up \(duration(now.timeIntervalSince(state.startedAt)))")
        Output.table(["STAGE", "COPIES", "PIDS", "UPTIME", "RESTARTS", "QUEUE", "READY", "CONSUMERS"],
                     stages.map { figures in
                         let copies = figures["copies"] as? [[String: Any]] ?? []
                         return [
                             figures["stage"] as? String ?? "",
                             "\(figures["running"] ?? 0)/\(figures["wanted"] ?? 0)",
                             copies.compactMap { $0["pid"] as? Int }.map(String.init).joined(separator: ","),
                             copies.compactMap { $0["uptime_s"] as? Int }.min().map { duration(Double($0)) } ?? "-",
                             "\(figures["restarts"] ?? 0)",
                             figures["queue"] as? String ?? "",
                             (figures["messages"] as? Int).map(String.init) ?? "?",
                             (figures["consumers"] as? Int).map(String.init) ?? "?",
                         ]
                     })
        if queues.isEmpty { printError("(queue figures unavailable: RabbitMQ did not answer at \(servers.amqpURL))") }
        for copy in state.copies where copy.pid == nil {
            Swift.print("\(copy.name) is down (\(copy.lastExit ?? "not started")); restarting soon, log \(copy.logPath)")
        }
    }

    private static func stageFigures(_ stage: String, wanted: Int, copies: [CopyState], queue: QueueState?,
                                     now: Date) -> [String: Any] {
        var figures: [String: Any] = [
            "stage": stage, "wanted": wanted, "running": copies.filter { $0.pid != nil }.count,
            "restarts": copies.map(\.restarts).reduce(0, +), "queue": "oms.\(stage)",
            "copies": copies.map { copy -> [String: Any] in
                var entry: [String: Any] = ["index": copy.index, "restarts": copy.restarts, "log": copy.logPath]
                if let pid = copy.pid { entry["pid"] = Int(pid) }
                if let started = copy.startedAt, copy.pid != nil { entry["uptime_s"] = Int(now.timeIntervalSince(started)) }
                if let exit = copy.lastExit { entry["last_exit"] = exit }
                return entry
            },
        ]
        if let queue {
            figures["messages"] = queue.messages
            figures["consumers"] = queue.consumers
        }
        return figures
    }

    /// Each stage queue's depth and consumers; empty when the broker does not answer.
    static func queueStates(servers: ServerOptions, stages: [String]) async -> [String: QueueState] {
        guard let amqp = try? await servers.amqp("cluster status") else { return [:] }
        var states: [String: QueueState] = [:]
        for stage in stages {
            states[stage] = try? await amqp.inspect(queue: "oms.\(stage)")
        }
        await amqp.close()
        return states
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(total % 60)s" }
        return "\(total / 3600)h\((total % 3600) / 60)m"
    }
}
