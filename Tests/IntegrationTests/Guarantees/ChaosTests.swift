import Foundation
import Testing

/// `oms chaos` on servers of its own: every fault of the checker in turn,
/// each judged by its oracle (ChaosOracle) from what it recorded and what
/// Redis and the mail sink hold.
@Suite("Guarantee: a flow of orders holds under every fault the history checker injects")
struct ChaosTests {
    @Test("worker SIGKILL and SIGSTOP, broker and Redis restarts and partitions, Redis OOM, broker memory and disk alarms, mail away, a poison storm: all held")
    func everyFaultHolds() async throws {
        try await PrivateServers.with(["rabbitmq", "redis", "smtp"], runChaos)
    }

    private func runChaos(_ servers: PrivateServers) async throws {
        let environment = servers.environment.merging([
            "OMS_AMQP_URL": servers.amqpURL, "OMS_REDIS_URL": servers.redisURL,
            "OMS_DOCUMENTS_DIR": servers.stateDirectory + "/documents",
        ]) { _, new in new }
        let result = try await OMSCLI.run(["chaos", "--orders", "1100", "--rate", "100", "--hold", "5", "--json",
                                           "--cluster-dir", servers.stateDirectory + "/chaos-cluster"],
                                          environment: environment)
        let summary = try #require(result.stdout.split(separator: "\n").last.map(String.init), "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        #expect(object["orders"] as? Int == 1100)
        let faults = object["faults"] as? [[String: Any]] ?? []
        #expect(faults.map { $0["fault"] as? String } == ["worker-kill", "worker-hang", "broker-restart",
                                                           "redis-restart", "broker-partition", "redis-partition",
                                                           "redis-oom", "broker-memory-alarm", "mail-away",
                                                           "broker-disk-alarm", "poison-storm"])
        #expect(result.status == 0, "\(result.stderr.suffix(3000))")
        // Last and short, so that a CI log cut to its end still names the violations.
        let failed = faults.filter { $0["ok"] as? Bool != true }.map { fault in
            "\(fault["fault"] ?? "?"): \((fault["violations"] as? [String] ?? []).prefix(5))"
        }
        #expect(object["ok"] as? Bool == true && failed.isEmpty, "\(failed)")
    }
}
