import Foundation
import Testing

/// compose/docker-compose.yml, checked by docker-compose itself (no Docker
/// engine needed: `config` only reads the file) and against the workers/
/// folder: every stage has a scalable, health-checked service.
///
/// `make test` installs docker-compose (Debian's package). Without it these
/// tests are skipped on a developer's machine, and fail under CI=true.
@Suite("compose/docker-compose.yml")
struct ComposeFileTests {
    @Test("docker-compose config -q accepts the file", .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func configIsValid() async throws {
        let result = try await ComposeFile.run(["config", "-q"])
        #expect(result.status == 0, "docker-compose refused compose/docker-compose.yml:\n\(result)")
    }

    @Test("every workers/ folder has a service oms-<folder>: replicas, health check, no container_name, no ports",
          .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func everyWorkerHasAService() async throws {
        let services = try await ComposeFile.services()
        let stages = try ComposeFile.workerFolders()
        #expect(stages.count >= 6, "workers/ holds \(stages)")
        for stage in stages {
            let name = "oms-\(stage)"
            guard let service = services[name] as? [String: Any] else {
                Issue.record("workers/\(stage) has no service \(name) in compose/docker-compose.yml")
                continue
            }
            #expect(service["container_name"] == nil, "\(name): container_name stops --scale")
            #expect(service["ports"] == nil, "\(name): host ports stop --scale")
            #expect(service["build"] != nil, "\(name) is built from compose/Dockerfile")
            #expect(ComposeFile.strings(service["command"]).first == name, "\(name) runs \(name)")
            #expect(service["restart"] as? String == "unless-stopped", "\(name): restart")

            let deploy = service["deploy"] as? [String: Any]
            let replicas = (deploy?["replicas"] as? NSNumber)?.intValue
            #expect(replicas.map { $0 >= 1 } == true, "\(name): deploy.replicas is \(String(describing: replicas))")

            let healthcheck = service["healthcheck"] as? [String: Any]
            let test = ComposeFile.strings(healthcheck?["test"])
            #expect(!test.isEmpty && test.first != "NONE" && healthcheck?["disable"] as? Bool != true,
                    "\(name) has no health check")
            let environment = ComposeFile.environment(service["environment"])
            if let port = environment["OMS_METRICS_PORT"] {
                #expect(test.joined(separator: " ").contains(":\(port)/metrics"),
                        "\(name): the health check reads the metrics port \(port): \(test)")
            }
            #expect(environment["OMS_AMQP_URL"]?.contains("@rabbitmq:5672/") == true, "\(name): OMS_AMQP_URL")
            #expect(environment["OMS_AMQP_URL"]?.hasPrefix("amqp://guest:") == false,
                    "\(name): RabbitMQ lets guest log in from localhost only")
            #expect(environment["OMS_REDIS_URL"]?.hasPrefix("redis://redis:6379") == true, "\(name): OMS_REDIS_URL")

            let dependsOn = service["depends_on"] as? [String: Any] ?? [:]
            for server in ["rabbitmq", "redis"] {
                let condition = (dependsOn[server] as? [String: Any])?["condition"] as? String
                #expect(condition == "service_healthy", "\(name) waits for \(server) to be healthy")
            }
        }
    }

    @Test("the servers have health checks; nothing sets container_name; published ports are on 127.0.0.1 only",
          .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func serversAndPorts() async throws {
        let services = try await ComposeFile.services()
        for server in ["rabbitmq", "redis", "mailpit"] {
            let service = try #require(services[server] as? [String: Any], "no service \(server)")
            let test = ComposeFile.strings((service["healthcheck"] as? [String: Any])?["test"])
            #expect(!test.isEmpty, "\(server) has no health check")
        }
        let notify = services["oms-notify"] as? [String: Any]
        #expect(ComposeFile.environment(notify?["environment"])["OMS_SMTP_URL"] == "smtp://mailpit:1025")
        for (name, value) in services {
            let service = value as? [String: Any] ?? [:]
            #expect(service["container_name"] == nil, "\(name) sets container_name")
            for port in service["ports"] as? [Any] ?? [] {
                #expect(ComposeFile.hostIP(of: port) == "127.0.0.1", "\(name) publishes \(port) beyond loopback")
            }
        }
    }

    @Test("oms-serve runs oms serve, published on 127.0.0.1 only, health-checked, with the workers' servers",
          .enabled(if: ComposeFile.canRun, ComposeFile.missing))
    func server() async throws {
        try ComposeFile.expectServer(in: try await ComposeFile.services(), file: "compose/docker-compose.yml")
    }

    @Test("the image builds every worker executable")
    func dockerfileBuildsEveryWorker() throws {
        let dockerfile = try String(contentsOf: ComposeFile.directory.appendingPathComponent("Dockerfile"),
                                    encoding: .utf8)
        let products = dockerfile.split(separator: "\n").first { $0.hasPrefix("ARG PRODUCTS=") }
        let listed = Set((products ?? "").dropFirst("ARG PRODUCTS=".count)
            .split(whereSeparator: { $0 == " " || $0 == "\"" }).map(String.init))
        for stage in try ComposeFile.workerFolders() {
            #expect(listed.contains("oms-\(stage)"), "compose/Dockerfile's PRODUCTS lacks oms-\(stage): \(listed)")
        }
    }
}

/// docker-compose run on compose/docker-compose.yml, and its configuration as
/// JSON: `config --format json` where docker-compose has it (v2), else its
/// YAML (1.29, Debian bookworm's) read by Debian's python3 with PyYAML, which
/// the docker-compose package depends on.
enum ComposeFile {
    static let directory = TestServers.repositoryRoot.appendingPathComponent("compose")
    static let path = directory.appendingPathComponent("docker-compose.yml").path
    static let clusterPath = directory.appendingPathComponent("docker-compose.cluster.yml").path
    static let python = "/usr/bin/python3"

    static var binary: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/docker-compose" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs when docker-compose is there, and always under CI, where a missing
    /// one is a failure to report rather than a reason to skip.
    static var canRun: Bool {
        binary != nil || ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    static let missing: Comment = "docker-compose is not installed (make test installs it)"

    /// `docker-compose -f FILE ARGUMENTS` (compose/docker-compose.yml unless
    /// told), without holding a thread while it runs.
    static func run(_ arguments: [String], file: String = path) async throws -> CLIResult {
        guard let binary else {
            throw ChildProcessFailed(command: ["docker-compose"], status: 127, output:
                "docker-compose is not installed: run `make test-deps` (make test does) or `apt-get install docker-compose`")
        }
        return try await CLIResult.capture([binary, "--project-directory", directory.path, "-f", file] + arguments)
    }

    /// The `services` mapping of the resolved configuration.
    static func services(file: String = path) async throws -> [String: Any] {
        let json = try await run(["config", "--format", "json"], file: file)
        let object: Any
        if json.status == 0, let parsed = try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) {
            object = parsed
        } else {
            let yaml = try await run(["config"], file: file)
            guard yaml.status == 0 else { throw ChildProcessFailed(command: ["docker-compose", "config"],
                                                                   status: yaml.status, output: "\(yaml)") }
            let converted = try await CLIResult.capture(
                [python, "-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
                stdin: yaml.stdout)
            guard converted.status == 0 else {
                throw ChildProcessFailed(command: [python, "-c", "import yaml"], status: converted.status, output:
                    "cannot read docker-compose's YAML (apt-get install python3-yaml):\n\(converted)")
            }
            object = try JSONSerialization.jsonObject(with: Data(converted.stdout.utf8))
        }
        let services = (object as? [String: Any])?["services"] as? [String: Any]
        return try #require(services, "docker-compose config printed no services")
    }

    /// The folders under workers/, one per stage.
    static func workerFolders() throws -> [String] {
        let workers = TestServers.repositoryRoot.appendingPathComponent("workers")
        return try FileManager.default.contentsOfDirectory(atPath: workers.path).filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: workers.appendingPathComponent(name).path,
                                                  isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
    }

    /// A command or health-check test: a list, or a string split at spaces.
    static func strings(_ value: Any?) -> [String] {
        if let list = value as? [Any] { return list.map { "\($0)" } }
        if let text = value as? String { return text.split(separator: " ").map(String.init) }
        return []
    }

    /// An environment as a mapping, or as a list of NAME=VALUE.
    static func environment(_ value: Any?) -> [String: String] {
        if let mapping = value as? [String: Any] {
            return mapping.mapValues { $0 is NSNull ? "" : "\($0)" }
        }
        let pairs = (value as? [Any] ?? []).compactMap { item -> (String, String)? in
            let parts = "\(item)".split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        return Dictionary(pairs) { first, _ in first }
    }

    /// oms-serve as both files have it: `oms serve` listening on every
    /// address of its container, its one port published on loopback, a
    /// health check asking that port, one copy, the workers' RabbitMQ and
    /// Redis, and every secret passed through from the shell, none written here.
    static func expectServer(in services: [String: Any], file: String) throws {
        let service = try #require(services["oms-serve"] as? [String: Any], "\(file) has no service oms-serve")
        let command = strings(service["command"])
        #expect(command.starts(with: ["oms", "serve"]) && command.contains("0.0.0.0"),
                "\(file): oms-serve runs oms serve on every address of its container: \(command)")
        let ports = service["ports"] as? [Any] ?? []
        #expect(ports.count == 1 && ports.allSatisfy { hostIP(of: $0) == "127.0.0.1" && containerPort(of: $0) == "8080" },
                "\(file): oms-serve publishes port 8080 on 127.0.0.1 only: \(ports)")
        let healthcheck = strings((service["healthcheck"] as? [String: Any])?["test"]).joined(separator: " ")
        #expect(healthcheck.contains("http://127.0.0.1:8080/"), "\(file): oms-serve's health check: \(healthcheck)")
        let replicas = ((service["deploy"] as? [String: Any])?["replicas"] as? NSNumber)?.intValue
        #expect(replicas == 1, "\(file): one oms-serve for its one host port, not \(String(describing: replicas))")
        let environment = self.environment(service["environment"])
        let worker = self.environment((services["oms-capture"] as? [String: Any])?["environment"])
        for name in ["OMS_AMQP_URL", "OMS_REDIS_URL"] {
            #expect(environment[name] != nil && environment[name] == worker[name], "\(file): oms-serve's \(name) is the workers'")
        }
        for secret in ["OMS_API_KEYS", "OMS_SHOPIFY_SECRET", "OMS_WOOCOMMERCE_SECRET", "OMS_ADMIN_PASSWORD"] {
            let shell = ProcessInfo.processInfo.environment[secret] ?? ""
            #expect(environment.keys.contains(secret) && (environment[secret] ?? "") == shell,
                    "\(file): oms-serve takes \(secret) from the shell, not from the file")
        }
        let dependsOn = service["depends_on"] as? [String: Any] ?? [:]
        #expect(!dependsOn.isEmpty && dependsOn.values.allSatisfy {
            ($0 as? [String: Any])?["condition"] as? String != nil
        }, "\(file): oms-serve waits for the servers")
    }

    /// The container port of a published port, long form or short.
    static func containerPort(of port: Any) -> String {
        if let long = port as? [String: Any] { return long["target"].map { "\($0)" } ?? "" }
        let target = "\(port)".split(separator: ":").last ?? ""
        return String(target.split(separator: "/").first ?? "")
    }

    /// The host address a published port binds: the long form's `host_ip`, or
    /// the short form's `IP:HOST:CONTAINER`; empty when it binds every address.
    static func hostIP(of port: Any) -> String {
        if let long = port as? [String: Any] { return long["host_ip"] as? String ?? "" }
        let parts = "\(port)".split(separator: ":")
        return parts.count == 3 ? String(parts[0]) : ""
    }
}
