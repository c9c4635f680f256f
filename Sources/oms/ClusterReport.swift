import AMQPClient
import Foundation
import Supervision
import OMSDomain
#if canImport(Glibc)
import Glibc
#endif

/// `oms cluster status` output: the supervisor's state beside the broker's view.
enum ClusterReport {
    static func print(servers: ServerOptions, state: ClusterState, json: Bool) async throws {
        let queued = state.scale.keys.sorted().filter(ClusterProgram.hasQueue)
        let queues = await queueStates(servers: servers, stages: queued)
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
                             (figures["messages"] as? Int).map(String.init) ?? unknown(figures),
                             (figures["consumers"] as? Int).map(String.init) ?? unknown(figures),
                         ]
                     })
        if queues.isEmpty { printError("(queue figures unavailable: RabbitMQ did not answer at \(servers.shownAMQPURL))") }
        for copy in state.copies where copy.pid == nil {
            Swift.print("\(copy.name) is down (\(copy.lastExit ?? "not started")); restarting soon, log \(copy.logPath)")
        }
    }

    private static func stageFigures(_ stage: String, wanted: Int, copies: [CopyState], queue: QueueState?,
                                     now: Date) -> [String: Any] {
        var figures: [String: Any] = [
            "stage": stage, "wanted": wanted, "running": copies.filter { $0.pid != nil }.count,
            "restarts": copies.map(\.restarts).reduce(0, +),
            "queue": ClusterProgram.hasQueue(stage) ? "oms.\(stage)" : "-",
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

    /// A queue figure the broker did not give: "?", or "-" for the server, which has no queue.
    private static func unknown(_ figures: [String: Any]) -> String {
        figures["queue"] as? String == "-" ? "-" : "?"
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
