import AMQPClient
import Hummingbird
import Logging
import RedisClient

/// `oms serve`: the API, the channel webhooks, the dashboard and the returns
/// portal in one Hummingbird application. It keeps nothing a second copy
/// would need: orders go onto `oms.intake`, reads come from Redis, sessions
/// are signed cookies, and live changes come from a queue of its own.
public struct HTTPServer: Sendable {
    let configuration: ServeConfiguration
    let backends: Backends
    let pages: Pages
    let feed: EventFeed
    let logger: Logger

    /// Throws only when a built-in template does not parse.
    public init(configuration: ServeConfiguration, amqp: AMQPConnection, redis: any Redis,
                logger: Logger = Logger(label: "oms.serve")) throws {
        self.configuration = configuration
        self.backends = Backends(intake: Intake(amqp: amqp), redis: redis)
        self.pages = try Pages()
        self.feed = EventFeed(amqp: amqp, logger: logger)
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: stops
    /// accepting, ends the event streams, finishes the requests in flight,
    /// and returns.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService()
    }

    /// The application, a swift-service-lifecycle `Service` (with the event
    /// feed as a service of its own). `onRunning` gets the port it listens on
    /// (useful with port 0).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "oms"),
            services: [feed],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    func router() -> Router<ServeRequestContext> {
        let router = Router(context: ServeRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        OrdersAPI(backends: backends, maximumBodyBytes: configuration.maximumBodyBytes)
            .register(on: router, keys: configuration.apiKeys)
        Webhooks(backends: backends, configuration: configuration).register(on: router)
        Dashboard(backends: backends, pages: pages, feed: feed,
                  access: StaffAccess(password: configuration.adminPassword),
                  documents: OrderDocuments(directory: configuration.documentsDirectory),
                  maximumBodyBytes: configuration.maximumBodyBytes)
            .register(on: router)
        ReturnsPortal(backends: backends, pages: pages, maximumBodyBytes: configuration.maximumBodyBytes)
            .register(on: router)
        return router
    }
}
