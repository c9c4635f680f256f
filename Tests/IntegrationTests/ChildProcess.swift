import Foundation
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// Child processes for tests, started by `Spawn.process` (posix_spawn with
/// no signal blocked: a server started by Foundation's `Process` from a test
/// thread, which blocks SIGTERM, would never stop).
enum ChildProcess {
    /// Runs `arguments[0]` from PATH; output goes to `outputPath` (else nowhere).
    static func spawn(_ arguments: [String], environment: [String: String] = [:],
                      outputPath: String = "/dev/null", errorPath: String? = nil,
                      inputPath: String = "/dev/null") throws -> pid_t {
        do {
            return try Spawn.process(arguments[0], arguments: Array(arguments.dropFirst()), environment: environment,
                                     logPath: outputPath, errorPath: errorPath, inputPath: inputPath)
        } catch {
            throw ChildProcessFailed(command: arguments, status: error.code, output: "cannot run it: \(error)")
        }
    }

    /// Runs a command to the end without holding a thread, and returns its
    /// output; throws with that output when it exits non-zero.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-test-output-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let pid = try spawn(arguments, environment: environment, outputPath: outputPath)
        let exitCode = await exitCode(of: pid)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard let exitCode, exitCode == 0 else {
            throw ChildProcessFailed(command: arguments, status: exitCode ?? -1,
                                     output: output + (exitCode == nil ? "\n(stopped by the test: still running after 20 minutes)" : ""))
        }
        return output
    }
}

extension ChildProcess {
    /// Waits until a server the process started accepts connections on
    /// `port`: true, or false once it has exited or `timeout` has passed.
    static func waitUntilListening(_ pid: pid_t, port: Int, host: String = "127.0.0.1",
                                   timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !LocalPorts.acceptsConnections(port: port, host: host) {
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) != pid, ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Waits for the process to end without holding a thread (the test
    /// framework runs tasks on two); 128 + the signal when one ended it.
    /// A process still running after `limit` is stopped (SIGTERM, SIGKILL
    /// 30 s later) and nil returned: a hung child fails its test instead of
    /// holding the whole run until CI's limit, which shows only the log's end.
    static func exitCode(of pid: pid_t, limit: Duration = .seconds(20 * 60)) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard ContinuousClock.now < deadline else {
                await terminateGracefully(pid, grace: .seconds(30))
                return nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return Spawn.exitCode(waitStatus: status)
    }

    /// SIGTERM, then SIGKILL if the process has not exited within `grace`,
    /// waiting without holding a thread: for processes that take their time
    /// to stop (workers finishing what is in flight).
    static func terminateGracefully(_ pid: pid_t, grace: Duration = .seconds(10)) async {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline { kill(pid, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

}

struct ChildProcessFailed: Error, CustomStringConvertible {
    var command: [String]
    var status: Int32
    var output: String

    var description: String {
        "\(command.joined(separator: " ")) failed (exit \(status)):\n\(output)"
    }
}
