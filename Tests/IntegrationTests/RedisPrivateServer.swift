import Foundation
import Supervision
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A redis-server of one test's own, on a free port with a folder of its own,
/// for tests that restart it, flush its scripts or give it a password: the
/// shared server stays as the tests running beside them expect it.
final class RedisPrivateServer: Sendable {
    let port: Int
    let directory: String
    private let options: [String]
    private let processID = Mutex<pid_t?>(nil)

    var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Starts `redis-server` (found on PATH) with `options` added, and waits
    /// until it accepts connections.
    static func start(_ options: [String] = []) async throws -> RedisPrivateServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-redis-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = RedisPrivateServer(port: try LocalPorts.free(1)[0], directory: directory, options: options)
        do {
            try await server.launch()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(port: Int, directory: String, options: [String]) {
        self.port = port
        self.directory = directory
        self.options = options
    }

    /// SIGTERM (the server writes its append-only file and exits), then the
    /// same server again: same port, same folder.
    func restart() async throws {
        terminate()
        try await launch()
    }

    /// Stops the server and removes its folder; safe to call more than once.
    func stop() {
        terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// SIGTERM, and SIGKILL if the server has not exited 10 s later.
    private func terminate() {
        processID.withLock { processID in
            guard let pid = processID else { return }
            processID = nil
            TestProcess.terminate(pid)
        }
    }

    private func launch() async throws {
        let pid = try ChildProcess.spawn(["redis-server", "--port", "\(port)", "--bind", "127.0.0.1", "--dir", directory,
                                  "--save", "", "--daemonize", "no", "--logfile", logPath] + options)
        processID.withLock { $0 = pid }
        guard await ChildProcess.waitUntilListening(pid, port: port, timeout: .seconds(10)) else {
            terminate()
            throw startFailure()
        }
    }

    private func startFailure() -> StartFailed {
        StartFailed(port: port, log: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)")
    }

    private var logPath: String { "\(directory)/redis.log" }

    struct StartFailed: Error, CustomStringConvertible {
        var port: Int
        var log: String

        var description: String {
            "redis-server did not start on port \(port) (is it installed? apt-get install redis-server):\n\(log)"
        }
    }
}
