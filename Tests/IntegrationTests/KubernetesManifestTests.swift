import Foundation
import Testing

/// deploy/k8s/, read as Kubernetes would read it (YAML, by Debian's python3
/// with PyYAML; no cluster here to apply it to): the fields that matter for
/// each stage's Deployment and KEDA ScaledObject.
@Suite("Kubernetes manifests under deploy/k8s")
struct KubernetesManifestTests {
    static let folder = TestServers.repositoryRoot.appendingPathComponent("deploy/k8s")

    /// Every document of every file, as JSON objects.
    static func documents() async throws -> [[String: Any]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
            .sorted().map { folder.appendingPathComponent($0).path }
        let script = "import json, sys, yaml; json.dump([d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d], sys.stdout)"
        let output: String
        do {
            output = try await ChildProcess.run(["/usr/bin/python3", "-c", script] + files)
        } catch {
            throw ChildProcessFailed(command: ["python3", "-c", "import yaml"], status: 1,
                                     output: "cannot read the manifests (apt-get install python3-yaml): \(error)")
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
    }

    static func named(_ kind: String, _ name: String, in documents: [[String: Any]]) -> [String: Any]? {
        documents.first { $0["kind"] as? String == kind && ($0["metadata"] as? [String: Any])?["name"] as? String == name }
    }

    @Test("each stage: a Deployment running its worker with the servers' URLs from a Secret, probes and resources")
    func deployments() async throws {
        let documents = try await Self.documents()
        for stage in try ComposeFile.workerFolders() {
            let name = "oms-\(stage)"
            let deployment = try #require(Self.named("Deployment", name, in: documents), "no Deployment \(name)")
            let pod = ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any]
            let container = try #require((pod?["containers"] as? [[String: Any]])?.first, "\(name) has no container")
            #expect((container["image"] as? String)?.hasPrefix("oms-worker") == true, "\(name): image")
            #expect(container["command"] as? [String] == [name])
            let env = container["env"] as? [[String: Any]] ?? []
            for variable in ["OMS_AMQP_URL", "OMS_REDIS_URL"] {
                let entry = env.first { $0["name"] as? String == variable }
                let secret = (entry?["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any]
                #expect(secret?["name"] as? String == "oms-servers", "\(name): \(variable) comes from the Secret")
            }
            for probe in ["livenessProbe", "readinessProbe"] {
                let get = (container[probe] as? [String: Any])?["httpGet"] as? [String: Any]
                #expect(get?["path"] as? String == "/metrics", "\(name): \(probe) reads /metrics")
            }
            let resources = container["resources"] as? [String: Any]
            #expect(resources?["requests"] != nil && resources?["limits"] != nil, "\(name): requests and limits")
            let grace = (pod?["terminationGracePeriodSeconds"] as? NSNumber)?.intValue ?? 0
            #expect(grace >= 30, "\(name): SIGTERM leaves time to finish what is in flight")
        }
    }

    @Test("each stage: a KEDA ScaledObject on its queue's length, authenticated by the shared TriggerAuthentication")
    func scaledObjects() async throws {
        let documents = try await Self.documents()
        #expect(Self.named("TriggerAuthentication", "oms-rabbitmq", in: documents) != nil)
        for stage in try ComposeFile.workerFolders() {
            let name = "oms-\(stage)"
            let scaled = try #require(Self.named("ScaledObject", name, in: documents), "no ScaledObject \(name)")
            let spec = scaled["spec"] as? [String: Any]
            #expect((spec?["scaleTargetRef"] as? [String: Any])?["name"] as? String == name)
            let trigger = try #require((spec?["triggers"] as? [[String: Any]])?.first, "\(name) has no trigger")
            let metadata = trigger["metadata"] as? [String: Any]
            #expect(trigger["type"] as? String == "rabbitmq")
            #expect(metadata?["queueName"] as? String == "oms.\(stage)")
            #expect(metadata?["mode"] as? String == "QueueLength")
            #expect((trigger["authenticationRef"] as? [String: Any])?["name"] as? String == "oms-rabbitmq")
        }
    }
}
