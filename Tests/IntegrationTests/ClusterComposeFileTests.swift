import Foundation
import Testing

/// compose/docker-compose.cluster.yml, checked by docker-compose (no Docker
/// engine: `config` only reads it) and against the workers/ folder.
@Suite("compose/docker-compose.cluster.yml")
struct ClusterComposeFileTests {
    @Test("docker-compose config -q accepts the file", .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func configIsValid() async throws {
        let result = try await ComposeFile.run(["config", "-q"], file: ComposeFile.clusterPath)
        #expect(result.status == 0, "docker-compose refused compose/docker-compose.cluster.yml:\n\(result)")
    }

    @Test("three RabbitMQ nodes and six Redis Cluster nodes with health checks; the Redis Cluster made once",
          .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func servers() async throws {
        let services = try await ComposeFile.services(file: ComposeFile.clusterPath)
        for name in (1...3).map({ "rabbitmq-\($0)" }) + (1...6).map({ "redis-\($0)" }) {
            let service = try #require(services[name] as? [String: Any], "no service \(name)")
            let test = ComposeFile.strings((service["healthcheck"] as? [String: Any])?["test"])
            #expect(!test.isEmpty, "\(name) has no health check")
            #expect(service["container_name"] == nil, "\(name) sets container_name")
        }
        for index in 1...6 {
            let command = ComposeFile.strings((services["redis-\(index)"] as? [String: Any])?["command"])
            #expect(command.contains("--cluster-enabled"), "redis-\(index) is a cluster node")
        }
        let create = try #require(services["redis-cluster-create"] as? [String: Any])
        let script = ComposeFile.strings(create["command"]).joined(separator: " ")
        #expect(script.contains("--cluster create") && script.contains("--cluster-replicas 1"))
        for index in 1...3 {
            let rabbit = services["rabbitmq-\(index)"] as? [String: Any]
            #expect(rabbit?["hostname"] as? String == "rabbitmq-\(index)", "the node is rabbit@rabbitmq-\(index)")
            #expect(ComposeFile.environment(rabbit?["environment"])["RABBITMQ_ERLANG_COOKIE"]?.isEmpty == false)
        }
    }

    @Test("oms-serve runs oms serve, published on 127.0.0.1 only, health-checked, with every node in its URLs",
          .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func server() async throws {
        try ComposeFile.expectServer(in: try await ComposeFile.services(file: ComposeFile.clusterPath),
                                     file: "compose/docker-compose.cluster.yml")
    }

    @Test("every workers/ folder has a service with replicas, a health check and every node in its URLs",
          .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func workers() async throws {
        let services = try await ComposeFile.services(file: ComposeFile.clusterPath)
        for stage in try ComposeFile.workerFolders() {
            let name = "oms-\(stage)"
            guard let service = services[name] as? [String: Any] else {
                Issue.record("workers/\(stage) has no service \(name) in compose/docker-compose.cluster.yml")
                continue
            }
            #expect(ComposeFile.strings(service["command"]).first == name)
            let replicas = ((service["deploy"] as? [String: Any])?["replicas"] as? NSNumber)?.intValue ?? 0
            #expect(replicas >= 2, "\(name): deploy.replicas is \(replicas)")
            let healthcheck = ComposeFile.strings((service["healthcheck"] as? [String: Any])?["test"])
            #expect(!healthcheck.isEmpty, "\(name) has no health check")
            let environment = ComposeFile.environment(service["environment"])
            let amqp = (environment["OMS_AMQP_URL"] ?? "").split(separator: ",")
            #expect(amqp.count == 3 && (1...3).allSatisfy { index in amqp.contains { $0.contains("@rabbitmq-\(index):5672/") } },
                    "\(name): OMS_AMQP_URL lists the three nodes")
            let redis = (environment["OMS_REDIS_URL"] ?? "").split(separator: ",")
            #expect(redis == (1...6).map { "redis://redis-\($0):6379/0"[...] }, "\(name): OMS_REDIS_URL lists the six nodes")
            let dependsOn = service["depends_on"] as? [String: Any] ?? [:]
            let created = (dependsOn["redis-cluster-create"] as? [String: Any])?["condition"] as? String
            #expect(created == "service_completed_successfully", "\(name) waits for the Redis Cluster to be made")
        }
    }
}
