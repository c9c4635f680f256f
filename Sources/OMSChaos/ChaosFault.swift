import CLISupport
import Foundation
import RedisClient
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// A fault the checker injects in the middle of a phase's flow, then undoes.
public enum ChaosFault: String, CaseIterable, Sendable {
    /// SIGKILL one worker copy; the supervisor starts it again.
    case workerKill = "worker-kill"
    /// SIGSTOP one worker copy for a while, then SIGCONT: its unacked
    /// deliveries wait for it, and it doubles nothing when it resumes.
    case workerHang = "worker-hang"
    /// RabbitMQ stopped and started: every worker reconnects.
    case brokerRestart = "broker-restart"
    /// Redis stopped and started (append-only file): every store reconnects.
    case redisRestart = "redis-restart"
    /// The workers' link to RabbitMQ down (network namespace, veth) for the partition's length.
    case brokerPartition = "broker-partition"
    /// The workers' link to Redis down for the partition's length.
    case redisPartition = "redis-partition"
    /// Redis at `maxmemory` with `noeviction`: every write fails with OOM for a while.
    case redisOutOfMemory = "redis-oom"
    /// RabbitMQ's memory alarm: publishers are blocked for a while.
    case brokerMemoryAlarm = "broker-memory-alarm"
    /// The SMTP server away for a while.
    case mailAway = "mail-away"
    /// RabbitMQ's disk alarm (the free-disk limit above the free space): publishers blocked for a while.
    case brokerDiskAlarm = "broker-disk-alarm"
    /// As many malformed messages as good orders, mixed into the phase's flow;
    /// as many good orders alone just before it are the yardstick of their pace.
    case poisonStorm = "poison-storm"

    /// What oms promises under it, for the verdict's line.
    public var promise: String {
        switch self {
        case .workerKill: "a killed worker's messages are redelivered; nothing lost, nothing doubled"
        case .workerHang: "a stopped worker resumes without doubling an effect"
        case .brokerRestart: "workers reconnect; unconfirmed hand-offs are redelivered"
        case .redisRestart: "stores reconnect; every step is retried, none applied twice"
        case .brokerPartition: "heartbeats notice the silence; unacked work goes back and is done once"
        case .redisPartition: "command timeouts notice the silence; every step is retried, none applied twice"
        case .redisOutOfMemory: "OOM refusals are retried; no half-made reservation"
        case .brokerMemoryAlarm: "blocked publishers wait and go on; nothing lost"
        case .mailAway: "emails wait with backoff and go out once"
        case .brokerDiskAlarm: "blocked publishers wait and go on; nothing lost"
        case .poisonStorm: "every malformed message is dead-lettered with a reason; the good ones flow at no "
            + "less than half their pace without it"
        }
    }

    /// Whether the fault needs the workers in a network namespace of their own (root or sudo).
    public var isPartition: Bool { self == .brokerPartition || self == .redisPartition }
}

/// Injects faults into the local servers and the cluster the checker runs.
struct FaultInjector {
    var directory: ClusterDirectory
    var redis: any Redis
    var services: String
    var hold: Duration
    /// The workers' network, when they run in one of their own.
    var network: PartitionedNetwork?
    var partitionHold: Duration
    var say: @Sendable (String) -> Void

    func inject(_ fault: ChaosFault) async throws {
        switch fault {
        case .workerKill:
            let (stage, pid) = try victim()
            say("  SIGKILL \(stage) (pid \(pid))")
            kill(pid, SIGKILL)
        case .workerHang:
            let (stage, pid) = try victim()
            say("  SIGSTOP \(stage) (pid \(pid)) for \(hold)")
            kill(pid, SIGSTOP)
            try await Task.sleep(for: hold)
            kill(pid, SIGCONT)
        case .brokerRestart:
            try await runServices(["restart", "rabbitmq"])
        case .redisRestart:
            try await runServices(["restart", "redis"])
        case .brokerPartition:
            try await partition(from: "amqp")
        case .redisPartition:
            try await partition(from: "redis")
        case .redisOutOfMemory:
            let used = try await usedMemory()
            say("  Redis maxmemory \(used) bytes (noeviction) for \(hold)")
            _ = try await redis.send(RedisCommand("CONFIG", "SET", "maxmemory-policy", "noeviction"))
            _ = try await redis.send(RedisCommand("CONFIG", "SET", "maxmemory", String(used)))
            try await Task.sleep(for: hold)
            _ = try await redis.send(RedisCommand("CONFIG", "SET", "maxmemory", "0"))
        case .brokerMemoryAlarm:
            say("  RabbitMQ memory watermark near zero for \(hold)")
            try await runServices(["rabbitmqctl", "set_vm_memory_high_watermark", "0.000001"])
            try await Task.sleep(for: hold)
            try await runServices(["rabbitmqctl", "set_vm_memory_high_watermark", "0.4"])
        case .brokerDiskAlarm:
            say("  RabbitMQ free-disk limit above the free space for \(hold)")
            try await runServices(["rabbitmqctl", "set_disk_free_limit", "1000000000000000"])
            try await Task.sleep(for: hold)
            try await runServices(["rabbitmqctl", "set_disk_free_limit", "50MB"])
        case .poisonStorm:
            break
        case .mailAway:
            say("  SMTP sink down for \(hold)")
            try await runServices(["down", "smtp"])
            try await Task.sleep(for: hold)
            try await runServices(["up", "smtp"])
        }
    }

    private func partition(from server: String) async throws {
        guard let network, let route = network.routes[server] else {
            throw CLIError("no network namespace for the workers: partitions need one (start the checker as root)")
        }
        say("  link \(route.hostInterface) to \(server) down for \(partitionHold)")
        try await network.link(server, up: false)
        try await Task.sleep(for: partitionHold)
        try await network.link(server, up: true)
    }

    /// A worker copy that changes state (not notify: a SIGKILL between the
    /// mail server's 250 and the sent marker resends that email, which
    /// README states; this checker counts every resend as a violation).
    private func victim() throws -> (String, pid_t) {
        let copies = directory.runningState()?.copies.filter { $0.stage != "notify" && $0.pid != nil } ?? []
        guard let copy = copies.randomElement(), let pid = copy.pid else {
            throw CLIError("no running worker to fault; see \(directory.supervisorLog)")
        }
        return (copy.stage, pid)
    }

    private func usedMemory() async throws -> Int {
        let info = try await redis.send(RedisCommand("INFO", "memory")).string ?? ""
        let line = info.split(separator: "\r\n").first { $0.hasPrefix("used_memory:") }
        return line.flatMap { Int($0.dropFirst("used_memory:".count)) } ?? 1_000_000
    }

    private func runServices(_ arguments: [String]) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("oms-chaos-\(getpid()).log").path
        let status = await Spawn.exitStatus(of: try Spawn.process(services, arguments: arguments, logPath: log))
        guard status == 0 else {
            throw CLIError("scripts/services \(arguments.joined(separator: " ")) failed (exit \(status)); see \(log)")
        }
        say("  scripts/services \(arguments.joined(separator: " "))")
    }
}
