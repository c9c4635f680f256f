import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starting child processes with posix_spawn rather than Foundation's
/// `Process`: a child inherits the signal mask of the thread that starts it,
/// and Swift's threads may block SIGTERM, so a worker started by `Process`
/// could ignore the SIGTERM meant to stop it. Here every child starts with
/// no signal blocked and every signal at its default action.
public enum Spawn {
    /// Runs `executable` (a path, or a name looked up in PATH) with
    /// `arguments`; standard output is appended to `logPath`, standard error
    /// too unless `errorPath` names its own file, and standard input reads
    /// `inputPath`. `newSession` detaches it from the caller's terminal and
    /// process group (for a daemon that outlives the command that started it).
    public static func process(_ executable: String, arguments: [String] = [], environment: [String: String] = [:],
                               logPath: String = "/dev/null", errorPath: String? = nil, inputPath: String = "/dev/null",
                               newSession: Bool = false) throws(SpawnError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newSession { flags |= setSessionFlag }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&files, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let errorPath {
            posix_spawn_file_actions_addopen(&files, 2, errorPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&files, 1, 2)
        }

        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &files, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(executable: executable, code: result) }
        return pid
    }

    /// glibc's POSIX_SPAWN_SETSID (2.26 and later), which Swift does not import.
    private static let setSessionFlag: Int32 = 0x80

    /// The path of the running executable, for finding programs built beside it.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Whether a process with this id runs. A zombie (exited, not yet
    /// reaped by its parent) does not count: `kill(pid, 0)` would say yes.
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let afterName = stat.range(of: ") ", options: .backwards) else { return true }
        return stat[afterName.upperBound...].first != "Z"
    }
}

public struct SpawnError: Error, CustomStringConvertible {
    public var executable: String
    public var code: Int32

    public var description: String { "cannot run \(executable): \(String(cString: strerror(code)))" }
}

extension Spawn {
    /// Waits for a child to end without holding a thread: its exit status,
    /// or 128 + the signal that ended it.
    public static func exitStatus(of pid: pid_t) async -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 { try? await Task.sleep(for: .milliseconds(50)) }
        return exitCode(waitStatus: status)
    }

    /// `exitStatus` for callers that cannot wait asynchronously (signal
    /// handlers): blocks the thread until the process has exited; -1 when
    /// it cannot be waited for (not a child of this process, or reaped).
    public static func exitStatusBlocking(of pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return exitCode(waitStatus: status) }
            if errno != EINTR { return -1 }
        }
    }

    /// A status `waitpid` filled in, as a shell shows it: the exit code, or
    /// 128 + the signal that ended the process.
    public static func exitCode(waitStatus status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
