import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import TestSupport
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
    /// Also names the test's ids and warehouse.
    let vhost: String
    let amqpURL: String
    let amqp: AMQPConnection
    let redis: any Redis
    let orders: OrderStore
    let inventory: InventoryStore
    let logDirectory: String
    let redisURL: String
    /// `scripts/services`' settings for the vhost's broker.
    private let servicesEnvironment: [String: String]
    /// Short, so that tests of retries do not wait long.
    static let retryDelaysMS = "200,400,800"

    static var brokerPort: Int { (try? AMQPURL(TestServers.amqpURL).port) ?? 5672 }

    /// `redisURL` chooses another database of the shared Redis.
    static func start(_ name: String, servers: PrivateServers? = nil, redisURL: String? = nil) async throws
        -> PipelineHarness {
        let vhost = "test-\(name)-\(UUID().uuidString.prefix(8).lowercased())"
        let brokerPort = try servers.map { try AMQPURL($0.amqpURL).port } ?? Self.brokerPort
        let amqpURL = "amqp://guest:guest@127.0.0.1:\(brokerPort)/\(vhost)"
        let environment = servers?.environment ?? [:]
        try await BrokerVhost.add(vhost, grants: ["guest": ".*", WorkerAccount.user: #"^oms\."#],
                                  environment: environment)
        let redisURL = servers?.redisURL ?? redisURL ?? TestServers.redisURL
        let amqp = try await AMQPTestSupport.connect(url: amqpURL, name: "oms-tests \(name)")
        let policy = RetryPolicy(delays: retryDelaysMS.split(separator: ",").map { .milliseconds(Int($0)!) })
        try await amqp.declare(Topology.declaration(retry: policy))
        let redis: any Redis = try await RedisTestSupport.connect(url: redisURL)
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent(vhost).path
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        return PipelineHarness(vhost: vhost, amqpURL: amqpURL, amqp: amqp, redis: redis, logDirectory: logs,
                               redisURL: redisURL, servicesEnvironment: environment)
    }

    private init(vhost: String, amqpURL: String, amqp: AMQPConnection, redis: any Redis, logDirectory: String,
                 redisURL: String, servicesEnvironment: [String: String]) {
        self.vhost = vhost
        self.amqpURL = amqpURL
        self.amqp = amqp
        self.redis = redis
        self.orders = OrderStore(redis: redis)
        self.inventory = InventoryStore(redis: redis)
        self.logDirectory = logDirectory
        self.redisURL = redisURL
        self.servicesEnvironment = servicesEnvironment
    }

    /// Starts a worker executable built beside the test bundle, signed in
    /// to both servers as the workers' own account; under `prefix` when
    /// given (`ip netns exec NAME`).
    func startWorker(_ stage: Stage, environment: [String: String] = [:], prefix: [String] = []) throws
        -> WorkerProcess {
        try WorkerProcess(stage: stage, logDirectory: logDirectory, prefix: prefix, environment: [
            "OMS_AMQP_URL": WorkerAccount.signedIn(amqpURL), "OMS_REDIS_URL": WorkerAccount.signedIn(redisURL),
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
        await BrokerVhost.delete(vhost, environment: servicesEnvironment)
    }
}

/// A worker executable running as its own process, its output in a log file.
final class WorkerProcess: Sendable {
    let stage: Stage
    let pid: pid_t
    let logPath: String

    init(stage: Stage, logDirectory: String, prefix: [String] = [], environment: [String: String]) throws {
        let binary = try OMSCLI.path(of: stage.executable)
        self.stage = stage
        logPath = "\(logDirectory)/\(stage.executable)-\(UUID().uuidString.prefix(4)).log"
        pid = try ChildProcess.spawn(prefix + [binary], environment: environment, outputPath: logPath)
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
