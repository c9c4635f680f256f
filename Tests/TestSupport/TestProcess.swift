import Foundation
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// A helper program a test runs to its end (python3 judging a schema, a MIME
/// message, openapi.yaml), on a thread of its own.
///
/// Every test shares the cooperative pool's two threads, and so do the HTTP
/// servers other tests run in this process. A child waited for on that pool
/// holds a thread for as long as it runs, 47 s for one validator on a loaded
/// machine, and two such waits stalled every server until URLSession gave up.
public enum TestProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
    }

    /// Runs `arguments` (the first is looked up on PATH) with `input` on its
    /// standard input and `environment` over this process's; its output is
    /// read once it has exited. Past `timeout` it is sent SIGTERM. The
    /// status is the exit code, or 128 + the signal that ended it, as a shell shows it.
    public static func run(_ arguments: [String], input: [UInt8] = [], environment: [String: String] = [:],
                           timeout: Duration? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result {
                    try runBlocking(arguments, input: input, environment: environment, timeout: timeout)
                })
            }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], input: [UInt8], environment: [String: String],
                                    timeout: Duration?) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oms-test-process-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ["in", "out", "err"].map { folder.appendingPathComponent($0).path }
        try Data(input).write(to: URL(fileURLWithPath: files[0]))
        let pid = try Spawn.process(arguments[0], arguments: Array(arguments.dropFirst()), environment: environment,
                                    logPath: files[1], errorPath: files[2], inputPath: files[0])
        let status = waitForExit(pid, timeout: timeout)
        return Result(status: status, stdout: Array(try Data(contentsOf: URL(fileURLWithPath: files[1]))),
                      stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: files[2])), as: UTF8.self))
    }

    /// Reaps this one child with waitpid: its exit code, or 128 + the signal
    /// that ended it. Past `timeout` it is stopped (`terminate`).
    ///
    /// Not Foundation's `Process`: on Linux it sometimes never notices that
    /// its child exited when many run at once. The child stays a zombie and
    /// `waitUntilExit` waits for ever; in one fresh-clone run that held the
    /// rabbitmqctl every test's vhost waited for, and the whole run with it.
    private static func waitForExit(_ pid: pid_t, timeout: Duration?) -> Int32 {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return Spawn.exitCode(waitStatus: status) }
            if reaped < 0 && errno != EINTR { return -1 }
            if let deadline, ContinuousClock.now >= deadline { return terminate(pid) }
            usleep(20_000)
        }
    }

    /// SIGTERM, then SIGKILL if the child has not exited within `grace`;
    /// returns once it is reaped, with its status as `waitForExit` gives it.
    /// Blocks the thread: for children that stop at once (a test's servers),
    /// from places that cannot wait (`defer`), or from a thread of its own.
    @discardableResult
    public static func terminate(_ pid: pid_t, grace: Duration = .seconds(10)) -> Int32 {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return Spawn.exitCode(waitStatus: status) }
            if reaped < 0 && errno != EINTR { return -1 }
            if ContinuousClock.now > deadline { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }
}
