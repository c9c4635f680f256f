import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Signals that reached the supervisor, set by its handlers and read by its loop.
private let pendingSignals = Atomic<Int>(0)
private let stopSignal = 1
private let reloadSignal = 2

/// Runs the worker executables and the HTTP server (`ClusterProgram`): the
/// copies `scale.json` asks for, each restarted with backoff when it dies,
/// each writing to its own log file.
/// SIGHUP re-reads `scale.json` (started or stopped copies follow); SIGTERM
/// or SIGINT stops every copy (SIGTERM, then SIGKILL after `grace`) and ends.
///
/// It runs as its own process (`oms cluster supervise`), so the cluster
/// outlives the command that started it, and holds no state another
/// supervisor would need: everything it knows is in `state.json`.
///
/// A copy that is alive but no longer runs (stopped by SIGSTOP, or starved)
/// keeps its unacked messages from every other copy. Each copy touches a
/// liveness file every second (`OMS_LIVENESS_FILE`); one that leaves it
/// untouched for `livenessTimeout` is killed with SIGKILL and started again,
/// and the broker gives its messages to the others.
public final class Supervisor {
    private let directory: ClusterDirectory
    private let binDirectory: String
    private let grace: Duration
    private let livenessTimeout: Duration?
    private let backoff = RestartBackoff()
    private let log: (String) -> Void
    private var scale: [String: Int] = [:]
    private var copies: [String: Copy] = [:]
    private let startedAt = Date()

    private var livenessCheckedAt = ContinuousClock.now

    private struct Copy {
        var state: CopyState
        var program: ClusterProgram
        var failuresInARow = 0
        var stopDeadline: ContinuousClock.Instant?
        var running: ContinuousClock.Instant?
        var restartAt: ContinuousClock.Instant?
    }

    /// `livenessTimeout` nil: a copy is replaced only when it exits.
    public init(directory: ClusterDirectory, binDirectory: String, grace: Duration, livenessTimeout: Duration?,
                log: @escaping (String) -> Void) {
        self.directory = directory
        self.binDirectory = binDirectory
        self.grace = grace
        self.livenessTimeout = livenessTimeout
        self.log = log
    }

    /// Supervises until SIGTERM or SIGINT, then stops every copy.
    public func run() throws {
        signal(SIGTERM) { _ in pendingSignals.bitwiseOr(stopSignal, ordering: .relaxed) }
        signal(SIGINT) { _ in pendingSignals.bitwiseOr(stopSignal, ordering: .relaxed) }
        signal(SIGHUP) { _ in pendingSignals.bitwiseOr(reloadSignal, ordering: .relaxed) }
        scale = try directory.readScale()
        log("supervisor \(getpid()) started: \(describe(scale))")
        while true {
            let signals = pendingSignals.exchange(0, ordering: .relaxed)
            if signals & stopSignal != 0 { break }
            if signals & reloadSignal != 0 { reloadScale() }
            reapExited()
            killUnresponsive()
            reconcile()
            try saveState(stopping: false)
            usleep(100_000)
        }
        try stopAll()
    }

    private func reloadScale() {
        do {
            scale = try directory.readScale()
            log("scale changed: \(describe(scale))")
        } catch {
            log("cannot read \(directory.scaleFile), keeping the scale as it was: \(error)")
        }
    }

    /// Starts copies that are wanted and not running (when their backoff
    /// is over) and stops copies beyond the wanted count.
    private func reconcile() {
        let now = ContinuousClock.now
        for (stage, wanted) in scale.sorted(by: { $0.key < $1.key }) {
            for index in stride(from: 1, through: wanted, by: 1) {
                let key = Self.key(stage, index)
                var copy = copies[key] ?? Copy(
                    state: CopyState(stage: stage, index: index, pid: nil, startedAt: nil, restarts: 0, lastExit: nil,
                                     restartAt: nil, logPath: directory.logPath(stage: stage, index: index)),
                    program: ClusterProgram(stage, binDirectory: binDirectory))
                if copy.state.pid == nil, copy.restartAt.map({ $0 <= now }) ?? true {
                    start(&copy)
                }
                copies[key] = copy
            }
        }
        for (key, copy) in copies where copy.state.index > scale[copy.state.stage, default: 0] {
            guard let pid = copy.state.pid else {
                copies[key] = nil
                continue
            }
            if let deadline = copy.stopDeadline {
                if now > deadline { kill(pid, SIGKILL) }
            } else {
                log("stopping \(copy.state.name) (pid \(pid)): scaled down")
                kill(pid, SIGTERM)
                copies[key]?.stopDeadline = now + grace
            }
        }
    }

    private func start(_ copy: inout Copy) {
        let program = copy.program
        let liveness = directory.livenessPath(stage: copy.state.stage, index: copy.state.index)
        try? FileManager.default.removeItem(atPath: liveness)
        do {
            let pid = try Spawn.process(program.executable, arguments: program.arguments,
                                        environment: program.touchesLivenessFile ? ["OMS_LIVENESS_FILE": liveness] : [:],
                                        logPath: copy.state.logPath)
            copy.state.pid = pid
            copy.state.startedAt = Date()
            copy.state.restartAt = nil
            copy.running = .now
            copy.restartAt = nil
            log("started \(copy.state.name) (pid \(pid)), log \(copy.state.logPath)")
        } catch {
            scheduleRestart(&copy, because: "\(error)", uptime: .zero)
        }
    }

    /// SIGKILL for every running copy whose liveness file (or, before it
    /// wrote one, whose start) is older than the timeout; `reapExited`
    /// then restarts it as any copy that died.
    /// Once a second: the files are touched once a second.
    private func killUnresponsive() {
        guard let timeout = livenessTimeout, ContinuousClock.now - livenessCheckedAt >= .seconds(1) else { return }
        livenessCheckedAt = .now
        let now = Date()
        for copy in copies.values where copy.stopDeadline == nil && copy.program.touchesLivenessFile {
            guard let pid = copy.state.pid, let started = copy.state.startedAt else { continue }
            let path = directory.livenessPath(stage: copy.state.stage, index: copy.state.index)
            let touched = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            let silent = now.timeIntervalSince(max(touched ?? started, started))
            guard silent > Self.seconds(timeout) else { continue }
            log("\(copy.state.name) (pid \(pid)) has not shown it is alive for \(Int(silent)) s: killing it "
                + "(SIGKILL) so that its unacked messages go to the other copies")
            kill(pid, SIGKILL)
        }
    }

    /// Collects every copy that has exited and schedules its restart.
    private func reapExited() {
        var status: Int32 = 0
        while case let pid = waitpid(-1, &status, WNOHANG), pid > 0 {
            guard let key = copies.first(where: { $0.value.state.pid == pid })?.key, var copy = copies[key] else {
                continue
            }
            let uptime = copy.running.map { ContinuousClock.now - $0 } ?? .zero
            copy.state.pid = nil
            let ending = Self.describeExit(status)
            if copy.stopDeadline != nil {
                log("\(copy.state.name) stopped (\(ending))")
                copies[key] = nil
                continue
            }
            scheduleRestart(&copy, because: ending, uptime: uptime)
            copies[key] = copy
        }
    }

    private func scheduleRestart(_ copy: inout Copy, because reason: String, uptime: Duration) {
        copy.failuresInARow = backoff.failuresInARow(previous: copy.failuresInARow, uptime: uptime)
        let delay = backoff.delay(afterFailuresInARow: copy.failuresInARow)
        copy.state.restarts += 1
        copy.state.lastExit = reason
        copy.restartAt = .now + delay
        copy.state.restartAt = Date().addingTimeInterval(Self.seconds(delay))
        log("\(copy.state.name) \(reason) after \(Self.format(uptime)); restarting in \(Self.format(delay)) "
            + "(restart \(copy.state.restarts)), log \(copy.state.logPath)")
    }

    /// SIGTERM to every copy, then SIGKILL to any still running after `grace`.
    private func stopAll() throws {
        let running = copies.values.compactMap(\.state.pid)
        log("stopping \(running.count) copies (SIGTERM, SIGKILL after \(Self.format(grace)))")
        try saveState(stopping: true)
        running.forEach { kill($0, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        var left = Set(running)
        while !left.isEmpty {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid > 0 {
                left.remove(pid)
                continue
            }
            if ContinuousClock.now > deadline {
                log("\(left.count) copies did not stop within \(Self.format(grace)): SIGKILL")
                left.forEach { kill($0, SIGKILL) }
                left.forEach { waitpid($0, &status, 0) }
                break
            }
            usleep(50_000)
        }
        directory.removeState()
        log("supervisor stopped")
    }

    private var lastSaved: ClusterState?

    private func saveState(stopping: Bool) throws {
        let state = ClusterState(supervisorPID: getpid(), startedAt: startedAt, scale: scale,
                                 copies: copies.values.map(\.state).sorted { ($0.stage, $0.index) < ($1.stage, $1.index) },
                                 stopping: stopping)
        guard state != lastSaved else { return }
        try directory.writeState(state)
        lastSaved = state
    }

    private static func key(_ stage: String, _ index: Int) -> String { "\(stage)#\(index)" }

    private func describe(_ scale: [String: Int]) -> String {
        scale.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    static func describeExit(_ status: Int32) -> String {
        let signal = status & 0x7f
        return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(signal)"
    }

    static func seconds(_ duration: Duration) -> Double {
        duration / .seconds(1)
    }

    static func format(_ duration: Duration) -> String {
        let seconds = seconds(duration)
        return seconds < 10 ? String(format: "%.1f s", seconds) : "\(Int(seconds)) s"
    }
}
