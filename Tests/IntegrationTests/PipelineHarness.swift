import AMQPClient
import Foundation
import OMSDomain
import OMSStore
import RedisClient
import WorkerRuntime
#if canImport(Glibc)
import Glibc
#endif

/// One test's own oms: a RabbitMQ vhost of its own with the whole topology
/// (so the public queue names do not meet other tests' workers), real worker
/// processes, and Redis, where the test's order ids and SKUs are unique. The
/// servers are the shared ones, or a test's `PrivateServers` when it
/// restarts them.
final class PipelineHarness: Sendable {
    let vhost: String
    let amqp: AMQPConnection
    let redis: RedisConnection
    let orders: OrderStore
    let inventory: InventoryStore
    let logDirectory: String
    let redisURL: String
    private let brokerPort: Int
    /// `scripts/services`' settings for the servers in use.
    private let servicesEnvironment: [String: String]
    /// Short, so that tests of retries do not wait long.
    static let retryDelaysMS = "200,400,800"

    var amqpURL: String { "amqp://guest:guest@127.0.0.1:\(brokerPort)/\(vhost)" }

    static var brokerPort: Int { (try? AMQPURL(TestServers.amqpURL).port) ?? 5672 }

    static func start(_ name: String, servers: PrivateServers? = nil) async throws -> PipelineHarness {
        let vhost = "test-\(name)-\(UUID().uuidString.prefix(8).lowercased())"
        let brokerPort = try servers.map { try AMQPURL($0.amqpURL).port } ?? Self.brokerPort
        let redisURL = servers?.redisURL ?? TestServers.redisURL
        let environment = servers?.environment ?? [:]
        try await rabbitmqctl(["add_vhost", vhost], environment: environment)
        try await rabbitmqctl(["set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], environment: environment)
        let amqp = try await AMQPTestSupport.connect(
            url: "amqp://guest:guest@127.0.0.1:\(brokerPort)/\(vhost)", name: "oms-tests \(name)")
        let policy = RetryPolicy(delays: retryDelaysMS.split(separator: ",").map { .milliseconds(Int($0)!) })
        try await amqp.declare(Topology.declaration(retry: policy))
        let redis = try await RedisTestSupport.connect(url: redisURL)
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent(vhost).path
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        return PipelineHarness(vhost: vhost, amqp: amqp, redis: redis, logDirectory: logs, redisURL: redisURL,
                               brokerPort: brokerPort, servicesEnvironment: environment)
    }

    private init(vhost: String, amqp: AMQPConnection, redis: RedisConnection, logDirectory: String,
                 redisURL: String, brokerPort: Int, servicesEnvironment: [String: String]) {
        self.vhost = vhost
        self.amqp = amqp
        self.redis = redis
        self.orders = OrderStore(redis: redis)
        self.inventory = InventoryStore(redis: redis)
        self.logDirectory = logDirectory
        self.redisURL = redisURL
        self.brokerPort = brokerPort
        self.servicesEnvironment = servicesEnvironment
    }

    /// Starts a worker executable built beside the test bundle.
    func startWorker(_ stage: Stage, environment: [String: String] = [:]) throws -> WorkerProcess {
        try WorkerProcess(stage: stage, logDirectory: logDirectory, environment: [
            "OMS_AMQP_URL": amqpURL, "OMS_REDIS_URL": redisURL,
            "OMS_RETRY_DELAYS_MS": Self.retryDelaysMS, "OMS_SHUTDOWN_GRACE": "5",
        ].merging(environment) { _, new in new })
    }

    func publish(_ routingKey: String, _ body: [UInt8], messageID: String? = nil) async throws {
        try await amqp.publish(AMQPMessage(exchange: Topology.intake, routingKey: routingKey, body: body,
                                           messageID: messageID))
    }

    func publish(_ routingKey: String, json: String, messageID: String? = nil) async throws {
        try await publish(routingKey, Array(json.utf8), messageID: messageID)
    }

    /// Statuses of many orders, one pipeline.
    func statuses(_ ids: [String]) async throws -> [String: OrderStatus] {
        let replies = try await redis.pipeline(ids.map { RedisCommand("HGET", "oms:order:{\($0)}", "status") })
        var result: [String: OrderStatus] = [:]
        for (id, reply) in zip(ids, replies) {
            if let status = reply.string.flatMap(OrderStatus.init(rawValue:)) { result[id] = status }
        }
        return result
    }

    /// Whether every one of the orders exists and is in one of `wanted`
    /// (an order not stored yet does not count as being there).
    func all(_ ids: [String], in wanted: Set<OrderStatus>) async throws -> Bool {
        let found = try await statuses(ids)
        return found.count == ids.count && found.values.allSatisfy(wanted.contains)
    }

    /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
    func wait(timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(100),
              until condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: interval)
        }
        return try await condition()
    }

    /// Stops the workers still running and removes the vhost.
    func stop(_ workers: [WorkerProcess]) async {
        for worker in workers { await worker.stop() }
        await amqp.close()
        await redis.close()
        _ = try? await Self.rabbitmqctl(["delete_vhost", vhost], environment: servicesEnvironment)
    }

    private static func rabbitmqctl(_ arguments: [String], environment: [String: String]) async throws {
        let script = TestServers.repositoryRoot.appendingPathComponent("scripts/services").path
        try await ChildProcess.run([script, "rabbitmqctl"] + arguments, environment: environment)
    }
}

/// A worker executable running as its own process, its output in a log file.
final class WorkerProcess: Sendable {
    let stage: Stage
    let pid: pid_t
    let logPath: String

    init(stage: Stage, logDirectory: String, environment: [String: String]) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent(stage.executable).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ChildProcessFailed(command: [binary], status: 127,
                                     output: "not built: run `swift build` (make test does) before the tests")
        }
        self.stage = stage
        logPath = "\(logDirectory)/\(stage.executable)-\(UUID().uuidString.prefix(4)).log"
        pid = try ChildProcess.spawn([binary], environment: environment, outputPath: logPath)
    }

    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// SIGKILL: no cleanup, no acks, as a crash.
    func crash() {
        kill(pid, SIGKILL)
        reap()
    }

    /// SIGTERM, then SIGKILL if it has not exited within 10 s.
    func stop() async {
        await ChildProcess.terminateGracefully(pid)
    }

    /// Waits for a process that is ending on its own (a failpoint).
    func waitForExit(timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private func reap() {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// Hand-offs on oms.work, as a stage would publish them.
enum AMQPMessageFactory {
    static func work(_ stage: Stage, _ handoff: Handoff) -> AMQPMessage {
        AMQPMessage(exchange: Topology.work, routingKey: stage.rawValue, body: handoff.encoded())
    }
}

/// Order documents for tests: raw JSON, as publishers send it.
enum TestOrders {
    static func place(id: String, channel: String = "web", lines: [(sku: String, quantity: Int)],
                      name: String = "Ada Lovelace", currency: String = "USD", token: String = "tok_visa",
                      country: String = "GB", hsCode: String? = nil) -> String {
        let customs = hsCode.map { #", "hs_code": "\#($0)", "origin_country": "GB", "name": "Blue mug""# } ?? ""
        let lineJSON = lines.map { #"{"sku": "\#($0.sku)", "quantity": \#($0.quantity), "unit_price": 1250\#(customs)}"# }
            .joined(separator: ", ")
        return """
            {"id": "\(id)", "channel": "\(channel)", "placed_at": "2026-11-22T10:00:00Z", "currency": "\(currency)",
             "customer": {"name": "\(name)", "email": "ada@example.com"},
             "shipping_address": {"line1": "12 Analytical St", "city": "London", "country": "\(country)"},
             "lines": [\(lineJSON)], "payment": {"method": "card", "token": "\(token)"}}
            """
    }

    /// A SKU no other test or run uses.
    static func sku(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8))"
    }
}
