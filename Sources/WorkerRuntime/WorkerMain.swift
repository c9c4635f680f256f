import AMQPClient
import ArgumentParser
import Foundation
import Logging
import Metrics
import OMSDomain
import Prometheus
import RedisClient
import ServiceLifecycle

/// A worker's command line, named after the executable (`oms-capture --help`).
struct WorkerCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        let name = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        let stage = Stage.allCases.first { $0.executable == name }?.queue ?? "its stage's queue"
        return CommandConfiguration(
            commandName: name,
            abstract: "The oms worker that consumes \(stage); stop it with SIGTERM to finish what is in flight.",
            discussion: "Every option also reads its OMS_* environment variable; flags win.")
    }

    @OptionGroup var options: WorkerOptions
}

/// The servers a handler may use, connected once per worker process, and how
/// long its order store keeps settled orders.
public struct WorkerConnections: Sendable {
    public let amqp: AMQPConnection
    public let redis: RedisConnection
    /// `--retention` / `OMS_RETENTION`, for `OrderStore(redis:retention:)`.
    public let retention: Retention
}

/// Runs one stage's worker: parse flags, connect, declare the topology,
/// consume until SIGTERM or SIGINT, finish what is in flight, close.
public enum WorkerMain {
    /// `retries` is the stage's default retry schedule; `--retry-delays-ms` overrides it.
    public static func run(stage: Stage, queues: [String]? = nil, retries: RetryPolicy = RetryPolicy(),
                           makeHandler: @Sendable (WorkerConnections, Logger) async throws -> any StageHandler) async {
        let options = WorkerCommand.parseOrExit().options
        let level = Logger.Level(rawValue: options.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "oms.\(stage.rawValue)")
        logger[metadataKey: LogKey.stage] = "\(stage.rawValue)"
        do {
            try startMetrics(options, logger: logger)
            try await run(stage: stage, queues: queues, options: options, retries: options.retryPolicy(default: retries),
                          logger: logger, makeHandler: makeHandler)
        } catch {
            logger.critical("worker stopped", metadata: [LogKey.error: "\(error)"])
            Foundation.exit(1)
        }
    }

    /// Metrics always go to a Prometheus registry; it is served only when a port is given.
    private static func startMetrics(_ options: WorkerOptions, logger: Logger) throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        guard let port = options.metricsPortSetting else { return }
        let endpoint = try MetricsEndpoint(registry: registry, host: options.metricsHost, port: port)
        endpoint.start()
        logger.info("serving metrics", metadata: ["url": "http://\(options.metricsHost):\(port)/metrics"])
    }

    private static func run(stage: Stage, queues: [String]?, options: WorkerOptions, retries: RetryPolicy,
                            logger: Logger,
                            makeHandler: @Sendable (WorkerConnections, Logger) async throws -> any StageHandler)
        async throws {
        let amqp = try await AMQPConnection.connect(
            AMQPConfiguration(url: try AMQPURL(options.amqpURL),
                              connectionName: "\(stage.executable) pid \(ProcessInfo.processInfo.processIdentifier)"),
            logger: logger)
        let redis = try await RedisConnection.connect(url: try RedisURL(options.redisURL), logger: logger)
        try await amqp.declare(Topology.declaration(retry: retries))
        let connections = WorkerConnections(amqp: amqp, redis: redis, retention: options.retentionSetting)
        let handler = try await makeHandler(connections, logger)
        let worker = Worker(stage: stage, queues: queues, handler: handler, connection: amqp,
                            prefetch: options.prefetch, retryPolicy: retries, logger: logger)
        var configuration = ServiceGroupConfiguration(services: [.init(service: worker)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(options.shutdownGrace)
        try await ServiceGroup(configuration: configuration).run()
        await amqp.close()
        await redis.close()
        logger.info("stopped")
    }
}
