import ArgumentParser
import Foundation

@main
struct OMSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oms",
        abstract: "Order management over RabbitMQ and Redis.",
        discussion: """
            Configuration comes from OMS_AMQP_URL and OMS_REDIS_URL (defaults: the local servers \
            that scripts/services starts); flags override them.
            """,
        subcommands: [Publish.self, Status.self, Orders.self, Stock.self, Catalog.self, Hold.self, TopologyCommand.self, DLQ.self,
                      Cluster.self, Demo.self, Bench.self, Report.self])

    /// As ArgumentParser's, except that a usage error (a bad flag, a missing
    /// argument) is one line on standard error instead of the usage text.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode || error is CleanExit {
                exit(withError: error)
            }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError("\(message) (see `oms help`)")
            Foundation.exit(code.rawValue)
        }
    }
}

/// Where the servers are: flags, else `OMS_*` variables, else the local defaults.
struct ServerOptions: ParsableArguments {
    @Option(help: "RabbitMQ URL (env OMS_AMQP_URL).")
    var amqpURL = Environment.value("OMS_AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5672/%2F")

    @Option(help: "Redis URL (env OMS_REDIS_URL).")
    var redisURL = Environment.value("OMS_REDIS_URL", default: "redis://127.0.0.1:6379/0")
}

enum Environment {
    static func value(_ name: String, default fallback: String) -> String {
        guard let raw = getenv(name) else { return fallback }
        let value = String(cString: raw)
        return value.isEmpty ? fallback : value
    }
}

#if canImport(Glibc)
import Glibc
#endif
