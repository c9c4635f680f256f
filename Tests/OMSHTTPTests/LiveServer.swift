import AMQPClient
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import OMSHTTP
import Logging
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import ServiceLifecycle
import Testing
import TestSupport
import WorkerRuntime

/// The RabbitMQ and Redis the tests use: `OMS_AMQP_URL` and `OMS_REDIS_URL`
/// (as `scripts/services env` prints them), else the default local ports.
/// A missing server fails the test with what to do; it never skips.
enum TestBackends {
    static var amqpURL: String {
        ProcessInfo.processInfo.environment["OMS_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/%2F"
    }

    static var redisURL: String {
        ProcessInfo.processInfo.environment["OMS_REDIS_URL"] ?? "redis://127.0.0.1:6379/0"
    }

    struct Missing: Error, CustomStringConvertible {
        var server: String
        var url: String
        var cause: String
        var description: String {
            "\(server) does not answer at \(url) (\(cause)); start it with `scripts/services up` "
                + "and `eval \"$(scripts/services env)\"`"
        }
    }

    static func amqp(url: String = amqpURL) async throws -> AMQPConnection {
        do {
            let connection = try await AMQPConnection.connect(AMQPConfiguration(
                url: try AMQPURL(url), connectionName: "oms-http-tests", connectTimeout: .seconds(2)))
            try await connection.declare(Topology.declaration())
            return connection
        } catch {
            throw Missing(server: "RabbitMQ", url: url, cause: "\(error)")
        }
    }

    static func redis() async throws -> RedisConnection {
        do {
            let connection = try await RedisConnection.connect(url: try RedisURL(redisURL))
            _ = try await connection.send(RedisCommand("PING"))
            return connection
        } catch {
            throw Missing(server: "Redis", url: redisURL, cause: "\(error)")
        }
    }

    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }
}

/// A RabbitMQ vhost of one test's own, made and removed with `scripts/services
/// rabbitmqctl`, for a test that reads a queue which every test's server
/// shares in the default vhost, such as oms.dead.
struct TestVhost {
    let name: String

    var amqpURL: String {
        var url = URLComponents(string: TestBackends.amqpURL)
        url?.percentEncodedPath = "/" + name
        return url?.string ?? TestBackends.amqpURL
    }

    static func make(_ prefix: String) async throws -> TestVhost {
        let vhost = TestVhost(name: TestBackends.unique("test-\(prefix)"))
        do {
            try await BrokerVhost.add(vhost.name, grants: ["guest": ".*"])
        } catch {
            throw TestBackends.Missing(server: "rabbitmqctl", url: TestBackends.amqpURL, cause: "\(error)")
        }
        return vhost
    }

    func remove() async {
        await BrokerVhost.delete(name)
    }
}

/// `oms serve` on a free port of loopback, with real connections, for one test.
final class LiveServer: Sendable {
    static let apiKey = "test-key-1"
    static let shopifySecret = "shopify-test-secret"
    static let wooCommerceSecret = "woocommerce-test-secret"
    static let adminPassword = "correct horse battery staple"

    let port: Int
    let amqp: AMQPConnection
    let redis: RedisConnection
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, amqp: AMQPConnection, redis: RedisConnection, group: ServiceGroup,
                 task: Task<Void, any Error>) {
        self.port = port
        self.amqp = amqp
        self.redis = redis
        self.group = group
        self.task = task
    }

    /// Where this test process's servers look for labels and packing slips.
    static let documents = NSTemporaryDirectory() + "oms-http-tests-\(UUID().uuidString.prefix(8))"

    static func start(maximumBodyBytes: Int = 1 << 20, amqpURL: String = TestBackends.amqpURL) async throws
        -> LiveServer {
        let amqp = try await TestBackends.amqp(url: amqpURL)
        let redis = try await TestBackends.redis()
        let configuration = ServeConfiguration(
            port: 0, apiKeys: ["other-key", apiKey], shopifySecret: shopifySecret,
            wooCommerceSecret: wooCommerceSecret, adminPassword: adminPassword, maximumBodyBytes: maximumBodyBytes,
            documentsDirectory: documents)
        var logger = Logger(label: "oms.serve.test")
        logger.logLevel = .warning
        let server = try HTTPServer(configuration: configuration, amqp: amqp, redis: redis, logger: logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(services: [server.application { portSink.yield($0) }], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw URLError(.cannotConnectToHost) }
        return LiveServer(port: port, amqp: amqp, redis: redis, group: group, task: task)
    }

    /// Shuts the server down as SIGTERM would, and waits until it has.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await amqp.close()
        await redis.close()
    }

    struct Reply: CustomStringConvertible {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var description: String { "HTTP \(status) \(headers) \(text.prefix(300))" }
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// No cookie jar: a test sends the cookies it means to.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    /// One real HTTP request over loopback; redirects are not followed.
    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8]? = nil) async throws
        -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        let fields = http.allHeaderFields.reduce(into: [String: String]()) { $0["\($1.key)"] = "\($1.value)" }
        return Reply(status: http.statusCode, headers: fields, body: Array(data))
    }

    /// Stores an `order.place` body in Redis as capture does, status received.
    func storeReceived(_ body: [UInt8]) async throws {
        guard case .place(let order) = try IntakeMessage.decode(routingKey: "order.place", body: body) else {
            throw URLError(.cannotDecodeContentData)
        }
        _ = try await OrderStore(redis: redis).create(
            orderID: order.id, channel: order.channel, document: OrderCoding.encode(order),
            contentHash: OrderCoding.contentHash(body), at: Date(), stage: "capture")
    }

    /// Signs in as staff through the form, as a browser does; the session cookie.
    func signIn() async throws -> String {
        let form = try await send("GET", "/signin")
        let nonce = try #require(Self.cookie("oms_signin", in: form))
        let csrf = try #require(Self.hiddenCSRF(in: form.text))
        let reply = try await send("POST", "/signin", headers: ["Cookie": "oms_signin=\(nonce)",
                                                                "Content-Type": "application/x-www-form-urlencoded"],
                                   body: Array("csrf=\(csrf)&password=correct+horse+battery+staple".utf8))
        return try #require(Self.cookie("oms_session", in: reply))
    }

    /// A staff request with the session cookie.
    func staff(_ method: String, _ path: String, session: String, form: String? = nil) async throws -> Reply {
        var headers = ["Cookie": "oms_session=\(session)"]
        if form != nil { headers["Content-Type"] = "application/x-www-form-urlencoded" }
        return try await send(method, path, headers: headers, body: form.map { Array($0.utf8) })
    }

    static func cookie(_ name: String, in reply: Reply) -> String? {
        guard let header = reply.header("Set-Cookie"), let range = header.range(of: "\(name)=") else { return nil }
        return String(header[range.upperBound...].prefix { $0 != ";" && $0 != "," })
    }

    static func hiddenCSRF(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The API with the test key.
    func api(_ method: String, _ path: String, body: [UInt8]? = nil) async throws -> Reply {
        try await send(method, path, headers: ["Authorization": "Bearer \(Self.apiKey)",
                                               "Content-Type": "application/json"], body: body)
    }
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// A queue of the test's own on `oms.intake`, to see what the server published.
/// A reader task keeps every delivery (cancelling an iteration would end the stream).
actor IntakeTap {
    private(set) var deliveries: [AMQPDelivery] = []
    private var reader: Task<Void, Never>?

    static func bind(_ amqp: AMQPConnection, _ routingKeys: [String]) async throws -> IntakeTap {
        let queue = TestBackends.unique("test.http.tap")
        try await amqp.declare(AMQPTopology(
            queues: [AMQPTopology.Queue(queue, durable: false, exclusive: true, autoDelete: true)],
            bindings: routingKeys.map { AMQPTopology.Binding(queue: queue, exchange: Topology.intake, routingKey: $0) }))
        let tap = IntakeTap()
        await tap.read(try await amqp.consume(queue: queue, prefetch: 100))
        return tap
    }

    private func read(_ consumer: AMQPConsumer) {
        reader = Task { [weak self] in
            do {
                for try await delivery in consumer { await self?.keep(delivery) }
            } catch {}
        }
    }

    private func keep(_ delivery: AMQPDelivery) { deliveries.append(delivery) }

    /// The deliveries with this message id (any, when nil) once there are
    /// `count`, or all there are after `timeout`. Suites run side by side,
    /// so a tap may also see other tests' messages.
    func wait(for count: Int, messageID: String? = nil, timeout: Duration = .seconds(10)) async -> [AMQPDelivery] {
        let deadline = ContinuousClock.now + timeout
        var matching: [AMQPDelivery] { deliveries.filter { messageID == nil || $0.messageID == messageID } }
        while matching.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return matching
    }

    deinit { reader?.cancel() }
}
