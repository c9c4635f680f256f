import Foundation
import Supervision
import TestSupport

/// A second set of local servers, on free ports with a state folder of its
/// own, for tests that stop or restart a server: the shared servers stay up
/// for the tests running beside them.
final class PrivateServers: OwnServers {
    let stateDirectory: String
    let environment: [String: String]

    var amqpURL: String { "amqp://guest:guest@127.0.0.1:\(environment["OMS_AMQP_PORT"]!)/%2F" }
    var redisURL: String { "redis://127.0.0.1:\(environment["OMS_REDIS_PORT"]!)/0" }
    /// TLS to the broker as `localhost`, trusting the CA scripts/services made.
    var amqpsURL: String {
        "amqps://guest:guest@localhost:\(environment["OMS_AMQPS_PORT"]!)/%2F?cacertfile=\(brokerCAFile)"
    }
    var brokerCAFile: String { "\(stateDirectory)/rabbitmq/tls/ca.pem" }
    var smtpURL: String { "smtp://127.0.0.1:\(environment["OMS_SMTP_PORT"]!)" }
    /// Where the SMTP sink keeps each message as one file.
    var mailDirectory: String { "\(stateDirectory)/mail/new" }

    /// Runs `body` on the named services of its own, stopped afterwards
    /// whatever happens; with `rabbitmq`, in its turn (BrokerBootTurns).
    static func with(_ services: [String], brokerTLS: Bool = false,
                     _ body: (PrivateServers) async throws -> Void) async throws {
        try await running(startsBroker: services.contains("rabbitmq"),
                          { try await start(services, brokerTLS: brokerTLS) }, body)
    }

    /// Starts the named services (`rabbitmq`, `redis`, `smtp`) with
    /// `scripts/services up`, on fresh ports.
    /// With `brokerTLS`, RabbitMQ also listens for TLS (`amqpsURL`).
    static func start(_ services: [String], brokerTLS: Bool = false) async throws -> PrivateServers {
        try await LocalPorts.twice { try await startOnFreePorts(services, brokerTLS: brokerTLS) }
    }

    private static func startOnFreePorts(_ services: [String], brokerTLS: Bool) async throws -> PrivateServers {
        let ports = try LocalPorts.free(6)
        let state = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-test-\(UUID().uuidString.prefix(8))").path
        var environment = [
            "OMS_STATE_DIR": state,
            "OMS_AMQP_PORT": "\(ports[0])", "OMS_RABBITMQ_DIST_PORT": "\(ports[1])",
            "OMS_REDIS_PORT": "\(ports[2])", "OMS_SMTP_PORT": "\(ports[3])", "OMS_EPMD_PORT": "\(ports[4])",
        ]
        if brokerTLS { environment["OMS_AMQPS_PORT"] = "\(ports[5])" }
        let servers = PrivateServers(stateDirectory: state, environment: environment)
        do {
            try await servers.run(["up"] + services)
        } catch {
            await servers.stop()
            throw error
        }
        return servers
    }

    private init(stateDirectory: String, environment: [String: String]) {
        self.stateDirectory = stateDirectory
        self.environment = environment
    }

    /// rabbitmqctl against this set's node; its output.
    @discardableResult
    func rabbitmqctl(_ arguments: String...) async throws -> String {
        try await run(["rabbitmqctl"] + arguments)
    }

    func restart(_ service: String) async throws {
        try await run(["restart", service])
    }

    func stop(_ service: String) async throws {
        try await run(["down", service])
    }

    func start(_ service: String) async throws {
        try await run(["up", service])
    }

    /// Stops everything this set started and removes its state folder.
    func stop() async {
        _ = try? await run(["down"])
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    @discardableResult
    private func run(_ arguments: [String]) async throws -> String {
        let script = Checkout.script("services")
        return try await ChildProcess.run([script] + arguments, environment: environment)
    }
}
