import AMQPClient
import Foundation
import ArgumentParser
import RedisClient
#if canImport(Glibc)
import Glibc
#endif

enum CLI {
    /// Runs a verb's body, printing any failure as one line on standard error.
    static func run(_ servers: ServerOptions, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            let described = describe(error, servers: servers)
            printError(described.message)
            throw ExitCode(described.exitCode)
        }
    }

    static func describe(_ error: any Error, servers: ServerOptions) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as AMQPError:
            let url = (try? AMQPURL.list(servers.amqpURL))?.map(\.description).joined(separator: ",") ?? servers.amqpURL
            switch error.kind {
            case .invalidURL:
                return CLIError("invalid RabbitMQ URL (--amqp-url or OMS_AMQP_URL): \(error.text)")
            case .unreachable,
                 .timeout where error.operation.contains("connect"):
                return CLIError("RabbitMQ does not answer at \(url) (\(error.text)); "
                    + "start the local services with `scripts/services up`, or set OMS_AMQP_URL / --amqp-url")
            case .accessRefused:
                return CLIError("RabbitMQ at \(url) refused the credentials or the virtual host (\(error.text)); "
                    + "check the user, password and vhost in OMS_AMQP_URL / --amqp-url")
            case .connectionLost, .notConnected:
                return CLIError("lost the connection to RabbitMQ at \(url) (\(error.text)); "
                    + "is it running? `scripts/services up` starts the local one")
            default:
                return CLIError("RabbitMQ: \(error.description)")
            }
        case let error as RedisError:
            let url = (try? RedisURL(servers.redisURL)).map { "redis://\($0.host):\($0.port)/\($0.database)" }
                ?? servers.redisURL
            switch error.kind {
            case .invalidURL:
                return CLIError("invalid Redis URL (--redis-url or OMS_REDIS_URL): \(error.message)")
            case .unreachable:
                return CLIError("Redis does not answer at \(url) (\(error.message)); "
                    + "start the local services with `scripts/services up`, or set OMS_REDIS_URL / --redis-url")
            case .authentication:
                return CLIError("Redis at \(url) refused the credentials (\(error.message)); "
                    + "check the password in OMS_REDIS_URL / --redis-url")
            case .connectionLost, .timeout:
                return CLIError("lost the connection to Redis at \(url) (\(error.message)); "
                    + "is it running? `scripts/services up` starts the local one")
            default:
                return CLIError("Redis: \(error.description)")
            }
        default:
            let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            return CLIError(text)
        }
    }
}
