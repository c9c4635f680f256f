import ArgumentParser
import Foundation
import Logging
import OMSDomain

/// What every worker executable takes: flags, each defaulting to its `OMS_*`
/// environment variable, which defaults to the local servers.
public struct WorkerOptions: ParsableArguments {
    @Option(help: "RabbitMQ URL (env OMS_AMQP_URL).")
    public var amqpURL = environment("OMS_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")

    @Option(help: "Redis URL (env OMS_REDIS_URL).")
    public var redisURL = environment("OMS_REDIS_URL", "redis://127.0.0.1:6379/0")

    @Option(help: "Messages in flight at once (env OMS_PREFETCH).")
    public var prefetch = UInt16(environment("OMS_PREFETCH", "50")) ?? 50

    @Option(help: "Seconds to finish in-flight messages after SIGTERM before giving up (env OMS_SHUTDOWN_GRACE).")
    public var shutdownGrace = Int(environment("OMS_SHUTDOWN_GRACE", "20")) ?? 20

    @Option(help: "Serve Prometheus metrics at http://HOST:PORT/metrics (env OMS_METRICS_PORT; off when unset).")
    public var metricsPort: Int?

    @Option(help: "Address the metrics endpoint listens on (env OMS_METRICS_HOST).")
    public var metricsHost = environment("OMS_METRICS_HOST", "127.0.0.1")

    @Option(help: "trace, debug, info, notice, warning, error or critical (env OMS_LOG_LEVEL).")
    public var logLevel = environment("OMS_LOG_LEVEL", "info")

    @Option(help: "Retry delays for transient failures in ms, comma-separated (env OMS_RETRY_DELAYS_MS; default 1000,5000,30000, longer for oms-notify).")
    public var retryDelaysMS: String?

    @Option(help: "How long orders are kept once rejected, cancelled, refunded or delivered: 30d, 12h, 3600s; 0 keeps them (env OMS_RETENTION).")
    public var retention = environment("OMS_RETENTION", "30d")

    public init() {}

    /// The flag, else `OMS_METRICS_PORT`, else none.
    public var metricsPortSetting: Int? {
        metricsPort ?? Int(environment("OMS_METRICS_PORT", ""))
    }

    /// `--retention` read; the default when it does not parse (`validate` refuses that).
    public var retentionSetting: Retention {
        Retention(retention) ?? .standard
    }

    /// The flag, else `OMS_RETRY_DELAYS_MS`, else the stage's default.
    public func retryPolicy(default fallback: RetryPolicy) -> RetryPolicy {
        RetryPolicy.configured(retryDelaysMS ?? ProcessInfo.processInfo.environment["OMS_RETRY_DELAYS_MS"],
                               default: fallback)
    }

    public func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard prefetch > 0 else { throw ValidationError("--prefetch must be at least 1") }
        guard Retention(retention) != nil else {
            throw ValidationError("--retention (or OMS_RETENTION) must be a whole number with s, m, h or d, "
                + "at most 36500d, e.g. 30d, 12h, 3600s; 0 keeps orders")
        }
        guard !retryPolicy(default: RetryPolicy()).delays.isEmpty else {
            throw ValidationError("--retry-delays-ms must list milliseconds, e.g. 1000,5000,30000")
        }
    }
}

func environment(_ name: String, _ fallback: String) -> String {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return fallback }
    return value
}
