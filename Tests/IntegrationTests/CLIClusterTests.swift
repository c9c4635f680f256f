import Foundation
import Supervision
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `oms cluster` against the real broker: a supervisor with real worker
/// processes and `oms serve`, in a vhost, a cluster directory and on a port
/// of the test's own.
@Suite(.serialized) struct CLIClusterTests {
    @Test func upKillScaleDown() async throws {
        let pipeline = try await PipelineHarness.start("cluster")
        let directory = ClusterDirectory(path: pipeline.logDirectory + "/cluster")
        let cluster = ["--dir", directory.path]
        let httpPort = try LocalPorts.free(1)[0]
        let environment = pipeline.cliEnvironment.merging(["OMS_SHUTDOWN_GRACE": "5", "OMS_HTTP_PORT": "\(httpPort)"]) {
            _, new in new
        }
        defer { Task { _ = try? await OMSCLI.run(["cluster", "down"] + cluster) } }

        let up = try await OMSCLI.run(
            ["cluster", "up", "--grace", "5", "--scale", "payment=2", "pick=0", "ship=0", "notify=0", "return=0"]
                + cluster, environment: environment)
        #expect(up.status == 0, "\(up)")
        #expect(up.stdout.contains("payment  2/2"), "\(up)")

        var status = try await stages(cluster, environment)
        #expect(status["payment"]?["running"] as? Int == 2)
        #expect(status["payment"]?["consumers"] as? Int == 2)
        #expect(status["capture"]?["consumers"] as? Int == 1)
        #expect(status["pick"]?["wanted"] as? Int == 0)
        #expect(status["serve"]?["running"] as? Int == 1 && status["serve"]?["queue"] as? String == "-", "\(status)")
        #expect(try await pipeline.wait(timeout: TestBounds.failsFast) { LocalPorts.acceptsConnections(port: httpPort) },
                "oms serve does not listen on \(httpPort); log in \(directory.logDirectory)")
        let killed = try #require(pids(status["payment"]).first)

        kill(pid_t(killed), SIGKILL)
        let restarted = try await pipeline.wait(timeout: .seconds(30)) {
            status = try await stages(cluster, environment)
            let now = pids(status["payment"])
            return now.count == 2 && !now.contains(killed) && status["payment"]?["restarts"] as? Int == 1
                && status["payment"]?["consumers"] as? Int == 2
        }
        #expect(restarted, "payment copy not restarted: \(status)")
        let supervisorLog = try String(contentsOfFile: directory.supervisorLog, encoding: .utf8)
        #expect(supervisorLog.contains("oms-payment#") && supervisorLog.contains("was killed by signal 9"))

        let scaled = try await OMSCLI.run(["cluster", "scale", "payment=1"] + cluster, environment: environment)
        #expect(scaled.status == 0, "\(scaled)")
        status = try await stages(cluster, environment)
        #expect(status["payment"]?["running"] as? Int == 1)
        let survivors = pids(status["payment"]) + pids(status["capture"]) + pids(status["serve"])

        let again = try await OMSCLI.run(["cluster", "up"] + cluster, environment: environment)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already running"), "\(again)")

        let down = try await OMSCLI.run(["cluster", "down"] + cluster, environment: environment)
        #expect(down.status == 0, "\(down)")
        #expect(survivors.allSatisfy { !Spawn.isAlive(pid_t($0)) }, "copies left running: \(survivors)")
        #expect(!FileManager.default.fileExists(atPath: directory.stateFile))
        let gone = try await OMSCLI.run(["cluster", "status"] + cluster, environment: environment)
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("no cluster is running"))
        await pipeline.stop([])
    }

    @Test("a copy stopped by SIGSTOP is killed after OMS_LIVENESS_TIMEOUT and replaced; the orders it held are confirmed once")
    func hungCopyReplaced() async throws {
        let pipeline = try await PipelineHarness.start("hung")
        let directory = ClusterDirectory(path: pipeline.logDirectory + "/cluster")
        let cluster = ["--dir", directory.path]
        let environment = pipeline.cliEnvironment.merging(["OMS_LIVENESS_TIMEOUT": "3"]) { _, new in new }
        defer { Task { _ = try? await OMSCLI.run(["cluster", "down"] + cluster) } }
        let up = try await OMSCLI.run(["cluster", "up", "--scale", "capture=1", "payment=0", "pick=0", "ship=0",
                                       "notify=0", "return=0", "serve=0"] + cluster, environment: environment)
        #expect(up.status == 0, "\(up)")
        var status = try await stages(cluster, environment)
        let hung = try #require(pids(status["capture"]).first)
        let sku = TestOrders.sku("HUNG")
        try await pipeline.inventory.set(sku: sku, available: 100)

        kill(pid_t(hung), SIGSTOP)
        let ids = (0..<20).map { "hung-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids { try await pipeline.publish("order.place", json: TestOrders.place(id: id, lines: [(sku, 1)])) }
        #expect(try await pipeline.wait(timeout: .seconds(60)) { try await pipeline.all(ids, in: [.confirmed]) })
        status = try await stages(cluster, environment)
        #expect(!pids(status["capture"]).contains(hung), "the stopped copy was replaced: \(status)")
        let supervisorLog = try String(contentsOfFile: directory.supervisorLog, encoding: .utf8)
        #expect(supervisorLog.contains("(pid \(hung)) has not shown it is alive"), "\(supervisorLog)")
        #expect(try await pipeline.inventory.levels(sku: sku)?.reserved == ids.count, "each order reserved once")
        _ = try await OMSCLI.run(["cluster", "down"] + cluster, environment: environment)
        await pipeline.stop([])
    }

    @Test func refusesABadScaleWithOneLine() async throws {
        let result = try await OMSCLI.run(["cluster", "up", "--dir", "/tmp/oms-unused", "--scale", "packing=2"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown stage 'packing'"), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        let servers = try await OMSCLI.run(["cluster", "up", "--dir", "/tmp/oms-unused", "--scale", "serve=2"])
        #expect(servers.status != 0)
        #expect(servers.stderr.contains("serve=0 or serve=1"), "\(servers)")
    }

    private func stages(_ cluster: [String], _ environment: [String: String]) async throws -> [String: [String: Any]] {
        let result = try await OMSCLI.run(["cluster", "status", "--json"] + cluster, environment: environment)
        guard result.status == 0, let object = try result.json() as? [String: Any],
              let stages = object["stages"] as? [[String: Any]] else {
            throw ChildProcessFailed(command: ["oms", "cluster", "status"], status: result.status, output: "\(result)")
        }
        return Dictionary(uniqueKeysWithValues: stages.map { ($0["stage"] as? String ?? "", $0) })
    }

    private func pids(_ stage: [String: Any]?) -> [Int] {
        (stage?["copies"] as? [[String: Any]] ?? []).compactMap { $0["pid"] as? Int }
    }
}
