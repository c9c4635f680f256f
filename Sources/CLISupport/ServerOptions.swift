import AMQPClient
import ArgumentParser
import Foundation
import RedisClient
#if canImport(Glibc)
import Glibc
#endif

/// Where the servers are: flags, else `OMS_*` variables, else the local defaults.
public struct ServerOptions: ParsableArguments, Sendable {
    @Option(help: "RabbitMQ URL (env OMS_AMQP_URL).")
    public var amqpURL = Environment.value("OMS_AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5672/%2F")

    @Option(help: "Redis URL (env OMS_REDIS_URL).")
    public var redisURL = Environment.value("OMS_REDIS_URL", default: "redis://127.0.0.1:6379/0")

    public init() {}

    /// A broker connection named after the verb, shown in the management UI.
    public func amqp(_ verb: String) async throws -> AMQPConnection {
        let url = try AMQPURL(amqpURL)
        return try await AMQPConnection.connect(
            AMQPConfiguration(url: url, connectionName: "oms \(verb)", reconnectWait: .seconds(5)))
    }

    public func redis() async throws -> RedisConnection {
        try await RedisConnection.connect(url: try RedisURL(redisURL))
    }
}

public enum Environment {
    /// The variable's value; `fallback` when it is unset or empty.
    public static func value(_ name: String, default fallback: String) -> String {
        guard let raw = getenv(name) else { return fallback }
        let value = String(cString: raw)
        return value.isEmpty ? fallback : value
    }
}
