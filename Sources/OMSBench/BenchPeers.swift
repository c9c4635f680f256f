import CLISupport
import Foundation
import Supervision

/// raw-chain and celery-peer from ../shared/bench, each run by its own
/// script on private servers it starts and stops, after the oms run (never
/// beside live oms workers: they use the public queue names).
struct BenchPeers {
    var orders: Int
    var rate: Int
    var console: Console

    /// Celery manages about 100 orders/s here; its README runs 5000.
    static let celeryOrders = 5_000

    func run(baseline: Bool, peer: Bool) async throws -> [String: [String: Any]] {
        var figures: [String: [String: Any]] = [:]
        if baseline { figures["raw-chain"] = try await runPeer("raw-chain", orders: orders) }
        if peer { figures["celery-peer"] = try await runPeer("celery-peer", orders: min(orders, Self.celeryOrders)) }
        return figures
    }

    private func runPeer(_ name: String, orders: Int) async throws -> [String: Any] {
        guard let script = Self.locate(name) else {
            throw CLIError("cannot find ../shared/bench/\(name)/run beside the checkout; set OMS_PEERS_DIR to the "
                + "folder that holds it")
        }
        console.say("running \(name): N=\(orders) RATE=\(rate) (\(script))…")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("oms-bench-\(name).log").path
        try? FileManager.default.removeItem(atPath: log)
        let pid = try Spawn.process(script, environment: ["N": "\(orders)", "RATE": "\(rate)"], logPath: log)
        let status = await Spawn.exitStatus(of: pid)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw CLIError("\(name) printed no JSON result (exit \(status)); its output is in \(log)")
        }
        if status != 0 { console.say("\(name) exited \(status): its own check failed; output in \(log)") }
        return object
    }

    static func locate(_ name: String) -> String? {
        var candidates: [URL] = []
        if let folder = ProcessInfo.processInfo.environment["OMS_PEERS_DIR"] { candidates.append(URL(fileURLWithPath: folder)) }
        var directory = URL(fileURLWithPath: Spawn.currentExecutable).deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("shared/bench"))
            directory.deleteLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/../shared/bench"))
        return candidates.map { $0.appendingPathComponent("\(name)/run").standardizedFileURL.path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
