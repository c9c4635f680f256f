import AMQPClient
import ArgumentParser
import Foundation
import OMSContract
import OMSDomain

/// `oms publish FILE…`: validate every order first, then publish the good ones
/// with publisher confirms.
struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish orders from JSON, JSON Lines or CSV files onto oms.intake.",
        discussion: """
            A file holds one order object, a JSON array of them, JSON Lines (one order per line), or CSV \
            (one row per line item; see README.md for the columns and examples/orders.csv). The format \
            comes from the extension (.json, .jsonl/.ndjson, .csv), else from the content; `-` reads \
            standard input.

            Every record is validated first, as capture would; each bad one is reported as \
            FILE:LINE: FIELD PROBLEM and is not published. The good ones go to oms.intake with routing key \
            order.place and message id = order id, with publisher confirms. An order id that appears again \
            with the same content is published once (a duplicate); with other content it is refused. \
            The exit code is 1 when any record was refused or not confirmed.

            Examples:
              oms publish examples/orders.jsonl
              oms publish --channel web examples/orders.csv
              cat orders.json | oms publish --format json -
            """)

    @OptionGroup var servers: ServerOptions

    @Argument(help: "Files to read; `-` for standard input.")
    var files: [String]

    @Option(help: "Channel for orders that have none.")
    var channel: String?

    @Option(help: "Input format: auto, json, jsonl or csv.")
    var format: String = "auto"

    @Option(help: "Print a progress line on standard error every N records.")
    var progressEvery = 1000

    @Option(help: "Messages per confirmed batch.")
    var batchSize = 500

    @Flag(help: "Validate only; publish nothing.")
    var dryRun = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard InputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of auto, json, jsonl, csv")
        }
        guard progressEvery > 0, batchSize > 0 else { throw ValidationError("--progress-every and --batch-size must be positive") }
        if let channel { try Identifier.check(channel, "channel") }
    }

    struct Refusal {
        var location: String
        var message: String
    }

    func run() async throws {
        try await CLI.run(servers) {
            var records: [InputRecord] = []
            var refusals: [Refusal] = []
            var refusedRecords = 0
            for file in files {
                let bytes = try readInput(file)
                let read = OrderInput.read(bytes, source: file == "-" ? "<stdin>" : file,
                                           format: InputFormat(rawValue: format)!, channel: channel)
                records += read.records
                refusedRecords += read.problems.count
                refusals += read.problems.map { Refusal(location: "\($0.source):\($0.line)", message: $0.message) }
            }

            // Validate everything before publishing anything.
            var good: [InputRecord] = []
            var seen: [String: (hash: String, location: String)] = [:]
            var duplicates: [Refusal] = []
            for record in records {
                do throws(IntakeMessage.DecodingError) {
                    guard case .place(let order) = try IntakeMessage.decode(routingKey: IntakeMessage.RoutingKey.orderPlace.rawValue,
                                                                            body: record.body) else { continue }
                    let hash = OrderCoding.contentHash(OrderCoding.encode(order))
                    if let earlier = seen[order.id] {
                        let entry = Refusal(location: "\(record.source):\(record.line)",
                                            message: earlier.hash == hash
                                                ? "duplicate of order \(order.id) at \(earlier.location); published once"
                                                : "id: order \(order.id) appears at \(earlier.location) with other content")
                        if earlier.hash == hash {
                            duplicates.append(entry)
                        } else {
                            refusals.append(entry)
                            refusedRecords += 1
                        }
                        continue
                    }
                    seen[order.id] = (hash, "\(record.source):\(record.line)")
                    var record = record
                    record.id = order.id
                    good.append(record)
                } catch .invalid(let failure) {
                    refusedRecords += 1
                    for issue in failure.issues {
                        refusals.append(Refusal(location: record.location(of: issue.path),
                                                message: issue.description))
                    }
                } catch {
                    refusedRecords += 1
                    refusals.append(Refusal(location: "\(record.source):\(record.line)", message: error.description))
                }
            }
            for refusal in refusals { printError("\(refusal.location): \(refusal.message)") }
            for duplicate in duplicates { printError("\(duplicate.location): \(duplicate.message)") }

            var published = 0
            var failed: [Refusal] = []
            if !dryRun, !good.isEmpty {
                let amqp = try await servers.amqp("publish")
                let started = ContinuousClock.now
                var nextProgress = progressEvery
                for start in stride(from: 0, to: good.count, by: batchSize) {
                    let chunk = Array(good[start..<min(start + batchSize, good.count)])
                    let now = UInt64(Date().timeIntervalSince1970)
                    let results = await amqp.publish(batch: chunk.map { record in
                        AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.orderPlace.rawValue, body: record.body,
                                    messageID: record.id, timestamp: now)
                    })
                    for (record, result) in zip(chunk, results) {
                        switch result {
                        case .success: published += 1
                        case .failure(let error):
                            failed.append(Refusal(location: "\(record.source):\(record.line)",
                                                  message: "order \(record.id ?? "?") not published: "
                                                      + CLI.describe(error, servers: servers).message))
                        }
                    }
                    let done = start + chunk.count
                    if good.count > progressEvery, done >= nextProgress || done == good.count {
                        let seconds = Double((ContinuousClock.now - started).components.seconds) + 0.001
                        printError("published \(published) of \(good.count) (\(Int(Double(done) / seconds))/s)")
                        while nextProgress <= done { nextProgress += progressEvery }
                    }
                }
                await amqp.close()
                for failure in failed { printError("\(failure.location): \(failure.message)") }
            }

            if json {
                Output.json([
                    "published": published, "valid": good.count, "refused": refusedRecords,
                    "duplicates": duplicates.count, "failed": failed.count, "dry_run": dryRun,
                    "problems": (refusals + failed).map { ["location": $0.location, "message": $0.message] },
                ] as [String: Any])
            } else {
                var summary = dryRun ? "valid \(good.count) (dry run, nothing published)" : "published \(published)"
                summary += ", refused \(refusedRecords), duplicates \(duplicates.count)"
                if !failed.isEmpty { summary += ", not confirmed \(failed.count)" }
                print(summary)
            }
            if refusedRecords > 0 || !failed.isEmpty { throw ExitCode.failure }
        }
    }

    private func readInput(_ file: String) throws -> [UInt8] {
        if file == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw CLIError("no such file: \(file)")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: file) else {
            throw CLIError("cannot read \(file)\(isDirectory.boolValue ? ": it is a directory" : "")")
        }
        return Array(data)
    }
}
