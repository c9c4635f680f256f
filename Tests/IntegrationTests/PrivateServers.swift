import Foundation

/// A second set of local servers, on free ports with a state folder of its
/// own, for tests that stop or restart a server: the shared servers stay up
/// for the tests running beside them.
final class PrivateServers: Sendable {
    let stateDirectory: String
    let environment: [String: String]

    var amqpURL: String { "amqp://guest:guest@127.0.0.1:\(environment["OMS_AMQP_PORT"]!)/%2F" }
    var redisURL: String { "redis://127.0.0.1:\(environment["OMS_REDIS_PORT"]!)/0" }
    var smtpURL: String { "smtp://127.0.0.1:\(environment["OMS_SMTP_PORT"]!)" }
    /// Where the SMTP sink keeps each message as one file.
    var mailDirectory: String { "\(stateDirectory)/mail/new" }

    /// Starts the named services (`rabbitmq`, `redis`, `smtp`) with
    /// `scripts/services up`, on fresh ports. A port taken by another process
    /// between being chosen and being bound fails the start; one more try on
    /// other ports cures that, while a server that cannot start fails both.
    static func start(_ services: [String]) async throws -> PrivateServers {
        do {
            return try await startOnFreePorts(services)
        } catch {
            return try await startOnFreePorts(services)
        }
    }

    private static func startOnFreePorts(_ services: [String]) async throws -> PrivateServers {
        let ports = try LocalPorts.free(5)
        let state = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-test-\(UUID().uuidString.prefix(8))").path
        let servers = PrivateServers(stateDirectory: state, environment: [
            "OMS_STATE_DIR": state,
            "OMS_AMQP_PORT": "\(ports[0])", "OMS_RABBITMQ_DIST_PORT": "\(ports[1])",
            "OMS_REDIS_PORT": "\(ports[2])", "OMS_SMTP_PORT": "\(ports[3])", "OMS_EPMD_PORT": "\(ports[4])",
        ])
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

    func rabbitmqctl(_ arguments: String...) async throws {
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

    private func run(_ arguments: [String]) async throws {
        let script = TestServers.repositoryRoot.appendingPathComponent("scripts/services").path
        try await ChildProcess.run([script] + arguments, environment: environment)
    }
}
