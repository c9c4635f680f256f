import AMQPClient
import ArgumentParser
import Foundation
import Logging
import Metrics
import OMSContract
import OMSDomain
import OMSSettings
import Prometheus
import RedisClient
import ServiceLifecycle

/// A worker's command line, named after the executable (`oms-capture --help`).
struct WorkerCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        let name = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        let stage = Stage.allCases.first { $0.executable == name }
        let stageSettings = stage.map { OMSSetting.readBy(stage: $0.rawValue) } ?? []
        let own = stageSettings.isEmpty ? "" : "\n\nThis worker also reads:\n"
            + stageSettings.map { "- \($0.listing)" }.joined(separator: "\n")
        return CommandConfiguration(
            commandName: name,
            abstract: "The oms worker that consumes \(stage?.queue ?? "its stage's queue"); stop it with SIGTERM to finish what is in flight.",
            discussion: "Every option also reads its OMS_* environment variable; flags win. A value that does not "
                + "parse stops the worker at start with the variable's name." + own)
    }

    @OptionGroup var options: WorkerOptions
}

/// The servers a handler may use, connected once per worker process, and how
/// long its order store keeps settled orders.
public struct WorkerConnections: Sendable {
    public let amqp: AMQPConnection
    public let redis: any Redis
    /// `--retention` / `OMS_RETENTION`, for `OrderStore(redis:retention:)`.
    public let retention: Retention
}

/// Runs one stage's worker: parse flags, connect, declare the topology,
/// consume until SIGTERM or SIGINT, finish what is in flight, close.
public enum WorkerMain {
    /// `retries` is the stage's default retry schedule; `--retry-delays-ms`
    /// overrides it. The stage's own settings (`OMSSetting.readBy`) are
    /// listed in `--help` and checked before anything connects.
    public static func run(stage: Stage, queues: [String]? = nil, retries: RetryPolicy = RetryPolicy(),
                           makeHandler: @Sendable (WorkerConnections, Logger) async throws -> any StageHandler) async {
        let command = WorkerCommand.parseOrExit()
        let options: WorkerSettings
        do {
            options = try command.options.settings()
            for setting in OMSSetting.readBy(stage: stage.rawValue) { try setting.check(in: .current) }
        } catch {
            WorkerCommand.exit(withError: ValidationError(error.description))
        }
        let level = options.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "oms.\(stage.rawValue)")
        logger[metadataKey: LogKey.stage] = "\(stage.rawValue)"
        for warning in OMSSetting.warnings() { logger.warning("\(warning)") }
        do {
            let metrics = try metricsEndpoint(options, logger: logger)
            let beacon = try OMSSetting.livenessFile.value().map(LivenessBeacon.init(path:))
            let beside = ([metrics, beacon] as [(any Service)?]).compactMap { $0 }
            try await run(stage: stage, queues: queues, options: options, retries: options.retryPolicy(default: retries),
                          beside: beside, logger: logger, makeHandler: makeHandler)
        } catch {
            logger.critical("worker stopped", metadata: [LogKey.error: "\(error)"])
            Foundation.exit(1)
        }
    }

    /// Metrics always go to a Prometheus registry; it is served only when a port is given.
    private static func metricsEndpoint(_ options: WorkerSettings, logger: Logger) throws -> MetricsEndpoint? {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        guard let port = options.metricsPort else { return nil }
        let endpoint = try MetricsEndpoint(registry: registry, host: options.metricsHost, port: port)
        logger.info("serving metrics", metadata: ["url": "http://\(options.metricsHost):\(port)/metrics"])
        return endpoint
    }

    /// The services run in the order listed and stop in the reverse: the
    /// worker first (finishing its messages), then the stage's own services,
    /// then `beside` (metrics, scraped until the end).
    private static func run(stage: Stage, queues: [String]?, options: WorkerSettings, retries: RetryPolicy,
                            beside: [any Service], logger: Logger,
                            makeHandler: @Sendable (WorkerConnections, Logger) async throws -> any StageHandler)
        async throws {
        let amqp = try await AMQPConnection.connect(
            AMQPConfiguration(urls: try AMQPURL.list(options.amqpURL),
                              connectionName: "\(stage.executable) pid \(ProcessInfo.processInfo.processIdentifier)"),
            logger: logger)
        let redis = try await RedisConnector.connect(options.redisURL, logger: logger)
        try await amqp.declare(Topology.declaration(retry: retries))
        let connections = WorkerConnections(amqp: amqp, redis: redis, retention: options.retention)
        let handler = try await makeHandler(connections, logger)
        let worker = Worker(stage: stage, queues: queues, handler: handler, connection: amqp,
                            prefetch: options.prefetch, retryPolicy: retries, logger: logger)
        let services = beside + handler.services + [worker]
        var configuration = ServiceGroupConfiguration(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = options.shutdownGrace
        try await ServiceGroup(configuration: configuration).run()
        await amqp.close()
        await redis.close()
        logger.info("stopped")
    }
}
