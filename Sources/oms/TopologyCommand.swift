import AMQPClient
import ArgumentParser
import Foundation
import OMSContract
import WorkerRuntime

/// `oms topology apply`.
struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "RabbitMQ exchanges, queues and bindings.",
        subcommands: [Apply.self])

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare every exchange, queue and binding oms uses (idempotent).",
            discussion: """
                RabbitMQ answers a declaration the same whether it created the thing or found it, so each \
                queue is first looked up passively to say "found" (with its messages and consumers) or \
                "created". The retry delay queues follow OMS_RETRY_DELAYS_MS, as the workers do. Bindings \
                of an older layout are removed (oms.notify no longer binds every order event, only those \
                that send email).

                Example: oms topology apply
                """)

        @OptionGroup var servers: ServerOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run(servers) {
                let topology = Topology.declaration(retry: try .configured())
                let amqp = try await servers.amqp("topology apply")
                var queues: [[String: Any]] = []
                for queue in topology.queues {
                    if let state = try? await amqp.inspect(queue: queue.name) {
                        queues.append(["name": queue.name, "result": "found", "messages": state.messages,
                                       "consumers": state.consumers])
                    } else {
                        queues.append(["name": queue.name, "result": "created"])
                    }
                }
                try await amqp.declare(topology)
                let retired = Topology.retiredBindings
                try await amqp.remove(retired)
                await amqp.close()
                if json {
                    Output.json([
                        "exchanges": topology.exchanges.map { ["name": $0.name, "type": $0.kind.rawValue] },
                        "queues": queues, "bindings": topology.bindings.count,
                        "bindings_removed": retired.map { "\($0.queue) ← \($0.exchange) \($0.routingKey)" },
                    ] as [String: Any])
                    return
                }
                print("exchanges (\(topology.exchanges.count) declared)")
                Output.table(["  NAME", "TYPE"], topology.exchanges.map { ["  \($0.name)", $0.kind.rawValue] })
                print("queues (\(topology.queues.count) declared)")
                Output.table(["  NAME", "RESULT"], queues.map { queue in
                    var result = queue["result"] as? String ?? ""
                    if let messages = queue["messages"], let consumers = queue["consumers"] {
                        result += " (\(messages) messages, \(consumers) consumers)"
                    }
                    return ["  \(queue["name"] as? String ?? "")", result]
                })
                print("bindings: \(topology.bindings.count) declared")
                for binding in retired {
                    print("  removed if present: \(binding.queue) ← \(binding.exchange) \(binding.routingKey)")
                }
            }
        }
    }
}
