import AMQPClient
import ArgumentParser
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import WorkerRuntime

/// `oms hold list|release|cancel`: orders held by a hold rule at capture.
struct Hold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Orders held for a person to look at (OMS_HOLD_RULES): list, release or cancel them.",
        discussion: """
            Capture holds an order (status on_hold, nothing reserved) when a rule of the file \
            OMS_HOLD_RULES names matches: a total above a limit, a listed shipping country, or too many \
            orders from one email within an hour. A released order reserves its stock and goes on \
            (confirmed, or backordered when stock is short); a cancelled one ends cancelled and the \
            customer gets the cancellation email.

            Examples:
              oms hold list
              oms hold release web-100234
              oms hold cancel web-100234 --reason "address could not be verified"
            """,
        subcommands: [List.self, Release.self, Cancel.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Orders on hold, newest first, with the rule's reason.")

        @OptionGroup var servers: ServerOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run(servers) {
                let redis = try await servers.redis()
                let rows = try await OrderSummary.scan(redis, status: OrderStatus.onHold.rawValue, channel: nil)
                await redis.close()
                if json {
                    Output.json(rows.map { ["id": $0.id, "channel": $0.channel, "held_at": $0.updated,
                                            "reason": $0.reason] as [String: Any] })
                } else if rows.isEmpty {
                    print("no orders on hold")
                } else {
                    Output.table(["ID", "CHANNEL", "HELD", "REASON"], rows.map { row in
                        [row.id, row.channel, RFC3339.parse(row.updated).map(Output.local) ?? row.updated, row.reason]
                    })
                }
            }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a held order go on: capture reserves its stock (confirmed or backordered).")

        @OptionGroup var servers: ServerOptions
        @Argument(help: "The order id.") var id: String

        func run() async throws {
            try await CLI.run(servers) {
                try await Hold.requireOnHold(id, servers)
                let amqp = try await servers.amqp("hold release")
                try await amqp.publish(HoldRelease(orderID: id).message)
                await amqp.close()
                print("released \(id): capture reserves its stock now (oms status \(id))")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a held order (the customer is told).")

        @OptionGroup var servers: ServerOptions
        @Argument(help: "The order id.") var id: String
        @Option(help: "Why, for the customer's email and the history.") var reason = "cancelled while on hold"

        func run() async throws {
            try await CLI.run(servers) {
                try await Hold.requireOnHold(id, servers)
                let amqp = try await servers.amqp("hold cancel")
                let body = try JSONSerialization.data(withJSONObject: ["order_id": id, "reason": reason],
                                                      options: [.sortedKeys])
                try await amqp.publish(AMQPMessage(exchange: Topology.intake,
                                                   routingKey: IntakeMessage.RoutingKey.orderCancel.rawValue,
                                                   body: Array(body)))
                await amqp.close()
                print("cancel of \(id) sent (oms status \(id))")
            }
        }
    }

    /// Refuses, saying why, unless the order exists and is on hold.
    static func requireOnHold(_ id: String, _ servers: ServerOptions) async throws {
        let redis = try await servers.redis()
        let status = try await OrderStore(redis: redis).status(orderID: id)?.status
        await redis.close()
        guard let status else { throw CLIError("no order \(id)") }
        guard status == .onHold else { throw CLIError("order \(id) is \(status.rawValue), not on hold") }
    }
}
