import ArgumentParser
import Foundation
import Logging
import OMSDomain
import OMSSettings

/// What every worker executable takes: flags, each overriding its `OMS_*`
/// variable (`OMSSetting`), which defaults to the local servers. A value
/// that does not parse stops the worker at start, naming the flag or
/// variable; it never falls back to the default unseen.
public struct WorkerOptions: ParsableArguments {
    @Option(help: ArgumentHelp(OMSSetting.amqpURL.help)) var amqpURL: String?
    @Option(help: ArgumentHelp(OMSSetting.redisURL.help)) var redisURL: String?
    @Option(help: ArgumentHelp(OMSSetting.prefetch.help)) var prefetch: String?
    @Option(help: ArgumentHelp(OMSSetting.shutdownGrace.help)) var shutdownGrace: String?
    @Option(help: ArgumentHelp(OMSSetting.metricsPort.help)) var metricsPort: String?
    @Option(help: ArgumentHelp(OMSSetting.metricsHost.help)) var metricsHost: String?
    @Option(help: ArgumentHelp(OMSSetting.logLevel.help)) var logLevel: String?
    @Option(name: .customLong("retry-delays-ms"), help: ArgumentHelp(OMSSetting.retryDelays.help))
    var retryDelays: String?
    @Option(help: ArgumentHelp(OMSSetting.retention.help)) var retention: String?

    public init() {}

    public func validate() throws {
        do {
            _ = try settings()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The flags over the environment over the defaults.
    public func settings(in environment: OMSSettings.Environment = .current) throws(SettingError) -> WorkerSettings {
        func read<Value>(_ setting: Setting<Value>, _ flag: String?, _ name: String) throws(SettingError) -> Value {
            try setting.value(flag: flag, flagName: name, in: environment)
        }
        return WorkerSettings(
            amqpURL: try read(OMSSetting.amqpURL, amqpURL, "amqp-url"),
            redisURL: try read(OMSSetting.redisURL, redisURL, "redis-url"),
            prefetch: UInt16(try read(OMSSetting.prefetch, prefetch, "prefetch")),
            shutdownGrace: .seconds(try read(OMSSetting.shutdownGrace, shutdownGrace, "shutdown-grace")),
            metricsPort: try read(OMSSetting.metricsPort, metricsPort, "metrics-port"),
            metricsHost: try read(OMSSetting.metricsHost, metricsHost, "metrics-host"),
            logLevel: Logger.Level(rawValue: try read(OMSSetting.logLevel, logLevel, "log-level")) ?? .info,
            retryDelays: try read(OMSSetting.retryDelays, retryDelays, "retry-delays-ms")
                .map { $0.map { Duration.milliseconds($0) } },
            retention: try read(OMSSetting.retention, retention, "retention"))
    }
}

/// A worker's settings, read and checked.
public struct WorkerSettings: Sendable {
    public var amqpURL: String
    public var redisURL: String
    public var prefetch: UInt16
    public var shutdownGrace: Duration
    public var metricsPort: Int?
    public var metricsHost: String
    public var logLevel: Logger.Level
    /// Nil: the stage's own schedule.
    public var retryDelays: [Duration]?
    public var retention: Retention

    public func retryPolicy(default fallback: RetryPolicy) -> RetryPolicy {
        retryDelays.map(RetryPolicy.init(delays:)) ?? fallback
    }
}
