import AMQPClient
import ArgumentParser
import Foundation
import Logging
import RedisClient
import ServiceLifecycle

/// The servers a handler may use, connected once per worker process.
public struct WorkerConnections: Sendable {
    public let amqp: AMQPConnection
    public let redis: RedisConnection
}

/// Runs one stage's worker: parse flags, connect, declare the topology,
/// consume until SIGTERM or SIGINT, finish what is in flight, close.
public enum WorkerMain {
    public static func run(stage: Stage, queues: [String]? = nil,
                           makeHandler: @Sendable (WorkerConnections, Logger) async throws -> any StageHandler) async {
        let options = WorkerOptions.parseOrExit()
        let level = Logger.Level(rawValue: options.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "oms.\(stage.rawValue)")
        logger[metadataKey: LogKey.stage] = "\(stage.rawValue)"
        do {
            try await run(stage: stage, queues: queues, options: options, logger: logger, makeHandler: makeHandler)
        } catch {
            logger.critical("worker stopped", metadata: [LogKey.error: "\(error)"])
            Foundation.exit(1)
        }
    }

    private static func run(stage: Stage, queues: [String]?, options: WorkerOptions, logger: Logger,
                            makeHandler: @Sendable (WorkerConnections, Logger) async throws -> any StageHandler)
        async throws {
        let amqp = try await AMQPConnection.connect(
            AMQPConfiguration(url: try AMQPURL(options.amqpURL),
                              connectionName: "\(stage.executable) pid \(ProcessInfo.processInfo.processIdentifier)"),
            logger: logger)
        let redis = try await RedisConnection.connect(url: try RedisURL(options.redisURL), logger: logger)
        try await amqp.declare(Topology.declaration(retry: options.retryPolicy))
        let handler = try await makeHandler(WorkerConnections(amqp: amqp, redis: redis), logger)
        let worker = Worker(stage: stage, queues: queues, handler: handler, connection: amqp,
                            prefetch: options.prefetch, retryPolicy: options.retryPolicy, logger: logger)
        var configuration = ServiceGroupConfiguration(services: [.init(service: worker)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(options.shutdownGrace)
        try await ServiceGroup(configuration: configuration).run()
        await amqp.close()
        await redis.close()
        logger.info("stopped")
    }
}
