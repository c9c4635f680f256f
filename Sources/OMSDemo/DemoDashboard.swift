import CLISupport
import Foundation
import OMSSettings
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// The demo's dashboard: `oms serve` started beside the cluster before the
/// peak, so a person can sign in and watch the orders arrive. It keeps
/// running after the demo, like the cluster; its pid and log sit beside the
/// cluster's state.
public struct DemoDashboard {
    var servers: ServerOptions
    var directory: String

    public init(servers: ServerOptions, directory: String) {
        self.servers = servers
        self.directory = directory
    }

    public var pidPath: String { directory + "/serve.pid" }
    public var logPath: String { directory + "/serve.log" }

    /// The server already running for an earlier demo, or a new one; nil
    /// (and a note) when it cannot start, for the demo goes on without it.
    public func start(console: Console) async -> (url: String, password: String, pid: pid_t)? {
        let port = (try? OMSSetting.httpPort.value()) ?? OMSSetting.httpPort.defaultValue
        let password = Environment.current[OMSSetting.adminPassword.variable] ?? "demo"
        let url = "http://127.0.0.1:\(port)/"
        if let running = runningPID() { return (url, password, running) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pid = try Spawn.process(
                Spawn.currentExecutable, arguments: ["serve", "--port", "\(port)"],
                environment: [OMSSetting.adminPassword.variable: password, "OMS_AMQP_URL": servers.amqpURL,
                              "OMS_REDIS_URL": servers.redisURL],
                logPath: logPath, newSession: true)
            try String(pid).write(toFile: pidPath, atomically: true, encoding: .utf8)
            try await Task.sleep(for: .seconds(2))
            guard Spawn.isAlive(pid) else {
                console.say("the dashboard stopped at once (is port \(port) taken? see \(logPath)); "
                    + "the demo goes on without it")
                return nil
            }
            return (url, password, pid)
        } catch {
            console.say("the dashboard did not start (\(error)); the demo goes on without it")
            return nil
        }
    }

    public func stop() {
        guard let pid = runningPID() else { return }
        kill(pid, SIGTERM)
        try? FileManager.default.removeItem(atPath: pidPath)
    }

    private func runningPID() -> pid_t? {
        guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), Spawn.isAlive(pid) else {
            return nil
        }
        return pid
    }
}
