import Foundation
import Supervision

/// The checkout's `scripts/services`, found beside the checkout this oms was
/// built in: it installs and starts RabbitMQ, Redis and the SMTP sinks on
/// loopback under `.state/`.
public enum LocalServices {
    /// `scripts/services up SERVICES` (all three of its defaults when empty);
    /// the lines that say what is up are passed on to `console`.
    public static func up(_ services: [String] = [], console: Console) async throws {
        let script = try locateOrFail()
        console.say("starting the local services: \(([script, "up"] + services).joined(separator: " "))")
        let (status, output, log) = try await run(script, ["up"] + services)
        output.split(separator: "\n").filter { $0.contains(" is up") || $0.contains("already") }
            .forEach { console.say("  \($0)") }
        guard status == 0 else {
            throw CLIError("scripts/services up failed (exit \(status)): "
                + (output.split(separator: "\n").last.map(String.init) ?? "no output") + "; its output: \(log)")
        }
        try? FileManager.default.removeItem(atPath: log)
    }

    /// What `scripts/services env` exports (OMS_AMQP_URL, OMS_SMTP_SINK_URL…),
    /// for the settings of this environment (OMS_STATE_DIR, OMS_*_PORT).
    public static func environment() async throws -> [String: String] {
        let script = try locateOrFail()
        let (status, output, log) = try await run(script, ["env"])
        try? FileManager.default.removeItem(atPath: log)
        guard status == 0 else { throw CLIError("scripts/services env failed (exit \(status)): \(output)") }
        return parseExports(output)
    }

    /// `export NAME=VALUE` lines as a dictionary; the values it prints need
    /// no shell quoting (URLs and paths without spaces).
    public static func parseExports(_ output: String) -> [String: String] {
        var exports: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            exports[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return exports
    }

    public static func locate() -> String? {
        var directory = URL(fileURLWithPath: Spawn.currentExecutable).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("scripts/services").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        let local = FileManager.default.currentDirectoryPath + "/scripts/services"
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }

    /// The checkout's `scripts/tcp-relay`, beside `services` (a path `locate` found).
    public static func tcpRelay(besides services: String) -> String {
        URL(fileURLWithPath: services).deletingLastPathComponent().appendingPathComponent("tcp-relay").path
    }

    private static func locateOrFail() throws -> String {
        guard let script = locate() else {
            throw CLIError("cannot find scripts/services (looked beside this oms and in the current directory); "
                + "run from the checkout, or start the servers yourself and pass --no-services")
        }
        return script
    }

    /// The exit status, the output, and the file that holds it.
    private static func run(_ script: String, _ arguments: [String]) async throws -> (Int32, String, String) {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-services-\(getpid())-\(arguments[0]).log").path
        try? FileManager.default.removeItem(atPath: log)
        let pid = try Spawn.process(script, arguments: arguments, logPath: log)
        let status = await Spawn.exitStatus(of: pid)
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "", log)
    }
}
