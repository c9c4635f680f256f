import AMQPClient
import ArgumentParser
import Foundation
import OMSSettings
import RedisClient

/// Where the servers are: flags, else `OMS_*` variables, else the local
/// defaults (`OMSSetting`). A URL that cannot be one stops the verb at
/// start, naming the flag or variable.
public struct ServerOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("amqp-url"), help: ArgumentHelp(OMSSetting.amqpURL.help)) var amqpFlag: String?
    @Option(name: .customLong("redis-url"), help: ArgumentHelp(OMSSetting.redisURL.help)) var redisFlag: String?

    public init() {}

    public func validate() throws {
        do {
            _ = try OMSSetting.amqpURL.value(flag: amqpFlag, flagName: "amqp-url")
            _ = try OMSSetting.redisURL.value(flag: redisFlag, flagName: "redis-url")
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The broker URL, as checked by `validate`.
    public var amqpURL: String {
        (try? OMSSetting.amqpURL.value(flag: amqpFlag)) ?? OMSSetting.amqpURL.defaultValue
    }

    /// The Redis URL, as checked by `validate`.
    public var redisURL: String {
        (try? OMSSetting.redisURL.value(flag: redisFlag)) ?? OMSSetting.redisURL.defaultValue
    }

    /// The broker URL as it may be shown: without its password.
    public var shownAMQPURL: String { Redaction.redact(amqpURL) }

    /// A broker connection named after the verb, shown in the management UI.
    public func amqp(_ verb: String) async throws -> AMQPConnection {
        return try await AMQPConnection.connect(
            AMQPConfiguration(urls: try AMQPURL.list(amqpURL), connectionName: "oms \(verb)", reconnectWait: .seconds(5)))
    }

    public func redis() async throws -> any Redis {
        try await RedisConnector.connect(redisURL)
    }
}
