import AMQPClient
import ArgumentParser
import Foundation
import OMSContract
import WorkerRuntime

/// `oms dlq …`: the dead letters in `oms.dead`.
///
/// Reading without removing: every verb takes the messages with basic.get
/// (no auto-ack), holding them all unacked so that the same message is not
/// got twice, and at the end settles each one: `list` and `show` reject them
/// all with requeue, `replay` acks those it republished (after the confirm)
/// and requeues the rest. A held message goes back to the queue also when the
/// command dies, because the broker requeues the unacked messages of a closed
/// connection. oms.dead is a quorum queue: each requeue counts as a delivery
/// in the message's `x-delivery-count` (shown as DELIVERIES); the queue has
/// no delivery limit, so looking never loses a message.
struct DLQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Dead letters: list, show, replay, purge.",
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    typealias Letter = DeadLetter

    /// The JSON `list` prints for one letter.
    static func summary(_ letter: Letter) -> [String: Any] {
        [
            "number": letter.number, "message_id": letter.delivery.messageID ?? NSNull(), "stage": letter.stage,
            "error": letter.error, "attempts": letter.attempts.map { Int($0) } ?? NSNull(),
            "original_exchange": letter.originalExchange ?? NSNull(),
            "original_routing_key": letter.originalRoutingKey ?? NSNull(),
            "deliveries": Int(letter.delivery.deliveryCount),
        ]
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List dead letters with stage, error, attempts and message id.",
            discussion: """
                The messages stay in oms.dead (got without ack, then requeued). N numbers them in queue \
                order for `oms dlq show N`; the message id is the stable handle.

                Example: oms dlq list --json
                """)

        @OptionGroup var servers: ServerOptions
        @Option(help: "At most this many.") var limit = 1000
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run(servers) {
                let amqp = try await servers.amqp("dlq list")
                let letters = try await DeadLetter.list(amqp, limit: limit)
                await amqp.close()
                if json {
                    Output.json(letters.map(DLQ.summary))
                } else if letters.isEmpty {
                    print("no dead letters in \(Topology.dead)")
                } else {
                    Output.table(["N", "MESSAGE ID", "STAGE", "ATTEMPTS", "FROM", "ERROR"], letters.map { letter in
                        ["\(letter.number)", letter.messageID, letter.stage, letter.attempts.map(String.init) ?? "-",
                         letter.originalRoutingKey ?? letter.delivery.routingKey, letter.error]
                    })
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one dead letter's headers and body, by number (from `list`) or message id.",
            discussion: """
                Examples:
                  oms dlq show 1
                  oms dlq show web-100234 --json
                """)

        @OptionGroup var servers: ServerOptions
        @Argument(help: "N from `oms dlq list`, or a message id.") var which: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run(servers) {
                let amqp = try await servers.amqp("dlq show")
                let letters = try await DeadLetter.list(amqp)
                await amqp.close()
                let found = letters.first { $0.messageID == which }
                    ?? Int(which).flatMap { number in letters.first { $0.number == number } }
                guard let letter = found else { throw CLIError("no dead letter \(which) in \(Topology.dead)") }
                let body = String(decoding: letter.delivery.body, as: UTF8.self)
                if json {
                    var object = DLQ.summary(letter)
                    object["headers"] = letter.delivery.headers.mapValues(DeadLetter.text)
                    object["body"] = body
                    object["routing_key"] = letter.delivery.routingKey
                    Output.json(object)
                    return
                }
                print("message id  \(letter.messageID)")
                print("stage       \(letter.stage)")
                print("error       \(letter.error)")
                print("attempts    \(letter.attempts.map(String.init) ?? "-")")
                print("from        \(letter.originalExchange ?? "-") \(letter.originalRoutingKey ?? "-")")
                print("headers")
                for (name, value) in letter.delivery.headers.sorted(by: { $0.key < $1.key }) {
                    print("  \(name): \(DeadLetter.text(value))")
                }
                print("body (\(letter.delivery.body.count) bytes)")
                print(body)
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish dead letters back to where they came from, then remove them.",
            discussion: """
                Each chosen message's body goes back to its x-oms-original-exchange with its \
                x-oms-original-routing-key, without the x-oms-* headers, with publisher confirms; only \
                after the confirm is the dead letter acked (removed). Fix the cause first (stock, a \
                gateway, the order), or the message comes back here.

                Examples:
                  oms dlq replay --id web-100234
                  oms dlq replay --stage payment
                  oms dlq replay --all
                """)

        @OptionGroup var servers: ServerOptions
        @Flag(help: "Replay every dead letter.") var all = false
        @Option(help: "Replay those dead-lettered by this stage.") var stage: String?
        @Option(help: "Replay the one with this message id.") var id: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard all || stage != nil || id != nil else {
                throw ValidationError("say which: --all, --stage STAGE or --id MESSAGE-ID")
            }
        }

        func run() async throws {
            try await CLI.run(servers) {
                let amqp = try await servers.amqp("dlq replay")
                let letters = try await DeadLetter.take(amqp, limit: Int.max)
                let chosen = letters.filter { letter in
                    (all || stage == nil || letter.stage == stage) && (id == nil || letter.messageID == id)
                }
                var keep = letters.filter { letter in !chosen.contains { $0.number == letter.number } }
                var replayable: [Letter] = []
                var skipped: [[String: Any]] = []
                for letter in chosen {
                    if letter.replay == nil {
                        skipped.append(["message_id": letter.messageID,
                                        "reason": "no \(Headers.originalExchange) header: not replayable"])
                        keep.append(letter)
                    } else {
                        replayable.append(letter)
                    }
                }
                let results = await amqp.publish(batch: replayable.compactMap(\.replay))
                var replayed: [[String: Any]] = []
                for (letter, result) in zip(replayable, results) {
                    switch result {
                    case .success:
                        try await amqp.ack(letter.delivery)
                        replayed.append(["message_id": letter.messageID, "exchange": letter.originalExchange!,
                                         "routing_key": letter.originalRoutingKey!])
                    case .failure(let error):
                        skipped.append(["message_id": letter.messageID,
                                        "reason": CLI.describe(error, servers: servers).message])
                        keep.append(letter)
                    }
                }
                try await DeadLetter.requeue(amqp, keep)
                await amqp.close()
                if json {
                    Output.json(["replayed": replayed, "skipped": skipped, "left": keep.count] as [String: Any])
                } else {
                    for item in replayed {
                        print("replayed \(item["message_id"]!) to \(item["exchange"]!) \(item["routing_key"]!)")
                    }
                    for item in skipped { printError("not replayed \(item["message_id"]!): \(item["reason"]!)") }
                    print("replayed \(replayed.count), not replayed \(skipped.count), "
                        + "\(keep.count) left in \(Topology.dead)")
                }
                if chosen.isEmpty { throw CLIError("no dead letter matches") }
                if !skipped.isEmpty { throw ExitCode.failure }
            }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete every dead letter in oms.dead.",
            discussion: """
                Asks for confirmation on a terminal; refuses without --yes when standard input is not a \
                terminal.

                Example: oms dlq purge --yes
                """)

        @OptionGroup var servers: ServerOptions
        @Flag(help: "Do not ask.") var yes = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run(servers) {
                let amqp = try await servers.amqp("dlq purge")
                if !yes {
                    guard isTerminal(0) else {
                        throw CLIError("refusing to purge without --yes: standard input is not a terminal")
                    }
                    let count = try await amqp.inspect(queue: Topology.dead).messages
                    FileHandle.standardError.write(Data("delete \(count) dead letters from \(Topology.dead)? [y/N] ".utf8))
                    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                    guard answer == "y" || answer == "yes" else {
                        await amqp.close()
                        print("nothing purged")
                        return
                    }
                }
                let purged = try await amqp.purge(queue: Topology.dead)
                await amqp.close()
                if json { Output.json(["purged": purged]) } else { print("purged \(purged) dead letters from \(Topology.dead)") }
            }
        }
    }
}
