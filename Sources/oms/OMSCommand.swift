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
                      Cluster.self, Demo.self, Bench.self, ChaosCommand.self, Report.self, Serve.self])

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
