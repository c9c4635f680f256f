import Foundation
import OMSDomain
import Testing

@Suite("oms publish, status and orders", .serialized)
struct CLIPublishTests {
    /// A valid order as one JSON line, for a test's unique id and SKU.
    static func order(_ id: String, sku: String, quantity: Int = 1, channel: String? = "web") -> String {
        var json = TestOrders.place(id: id, lines: [(sku, quantity)]).replacingOccurrences(of: "\n", with: " ")
        if channel == nil { json = json.replacingOccurrences(of: "\"channel\": \"web\", ", with: "") }
        return json
    }

    @Test("JSON, JSON Lines and CSV with bad records: good ones confirmed, bad ones named by file, line and field")
    func publishMixedFormats() async throws {
        let harness = try await PipelineHarness.start("cli-publish")
        let capture = try harness.startWorker(.capture)
        defer { Task { await harness.stop([capture]) } }
        let sku = TestOrders.sku("CLI-PUB")
        try await harness.inventory.set(sku: sku, available: 100)
        let tag = UUID().uuidString.prefix(6)
        let ids = (1...5).map { "cli-pub-\(tag)-\($0)" }

        // JSON: an array of one good order and one missing its email (line 3).
        let good0 = Self.order(ids[0], sku: sku)
        let bad = Self.order("cli-pub-\(tag)-bad", sku: sku).replacingOccurrences(of: "\"email\": \"ada@example.com\"",
                                                                                   with: "\"email\": \"nope\"")
        let json = try OMSCLI.file("orders.json", "[\n  \(good0),\n  \(bad)\n]\n")
        // JSON Lines: a good order without channel (tagged by --channel), a duplicate of it, a broken line.
        let jsonl = try OMSCLI.file("orders.jsonl", [Self.order(ids[1], sku: sku, channel: nil),
                                                     Self.order(ids[1], sku: sku, channel: nil),
                                                     "{not json"].joined(separator: "\n") + "\n")
        // CSV: a two-line order, a one-line order, and an order whose second row has quantity 0 (line 5).
        let header = "order_id,channel,placed_at,currency,customer_name,customer_email,ship_line1,ship_city,"
            + "ship_country,payment_method,payment_token,sku,quantity,unit_price"
        let first = "web,2026-11-22T10:00:00Z,USD,Ada Lovelace,ada@example.com,12 Analytical St,London,GB,card,tok_visa"
        let blank = ",,,,,,,,,"
        let csv = try OMSCLI.file("orders.csv", [
            header,
            "\(ids[2]),\(first),\(sku),1,1250",
            "\(ids[2]),\(blank),\(sku)-B,1,900",
            "\(ids[3]),\(first),\(sku),2,1250",
            "cli-pub-\(tag)-csvbad,\(first),\(sku),1,1250",
            "cli-pub-\(tag)-csvbad,\(blank),\(sku)-C,0,1250",
        ].joined(separator: "\n") + "\n")
        try await harness.inventory.set(sku: "\(sku)-B", available: 100)
        // Standard input: one more good order.
        let result = try await harness.oms(arguments: ["publish", "--channel", "shop", json, jsonl, csv, "-"],
                                           stdin: Self.order(ids[4], sku: sku) + "\n")

        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("published 5, refused 3, duplicates 1"), "\(result)")
        #expect(result.stderr.contains("orders.json:3: customer.email must be"), "\(result)")
        #expect(result.stderr.contains("orders.jsonl:3: not valid JSON"), "\(result)")
        #expect(result.stderr.contains("orders.jsonl:2: duplicate of order \(ids[1])"), "\(result)")
        #expect(result.stderr.contains("orders.csv:6: lines[1].quantity must be a positive integer"), "\(result)")

        let confirmed = try await harness.wait(timeout: .seconds(30)) {
            try await harness.statuses(ids).values.filter { $0 == .confirmed }.count == ids.count
        }
        let statuses = try await harness.statuses(ids)
        #expect(confirmed, "statuses: \(statuses)\n\(capture.log)")
        #expect(try await harness.orders.fields(orderID: ids[1])["channel"] == "shop")
        #expect(try await harness.orders.fields(orderID: ids[0])["channel"] == "web")
        #expect(try await harness.statuses(["cli-pub-\(tag)-bad", "cli-pub-\(tag)-csvbad"]).isEmpty)
        let levels = try await harness.inventory.levels(sku: sku)
        #expect(levels?.reserved == 1 + 1 + 1 + 2 + 1)

        // status, text and JSON.
        let text = try await harness.oms("status", ids[2])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("confirmed (version 2)"), "\(text)")
        #expect(text.stdout.contains("total     21.50 USD"), "\(text)")
        #expect(text.stdout.contains("Ada Lovelace"), "\(text)")
        #expect(text.stdout.contains("received → confirmed"), "\(text)")
        let statusJSON = try #require(try await harness.oms("status", "--json", ids[2]).json() as? [String: Any])
        #expect(statusJSON["status"] as? String == "confirmed")
        #expect(statusJSON["version"] as? Int == 2)
        #expect((statusJSON["lines"] as? [Any])?.count == 2)
        #expect((statusJSON["total"] as? [String: Any])?["minor_units"] as? Int == 2150)
        #expect((statusJSON["history"] as? [[String: Any]])?.map { $0["to"] as? String } == ["received", "confirmed"])

        let missing = try await harness.oms("status", "cli-pub-\(tag)-nothing")
        #expect(missing.status == 1)
        #expect(missing.stderr == "no order cli-pub-\(tag)-nothing\n", "\(missing)")

        // orders, text and JSON.
        let listed = try #require(try await harness.oms("orders", "--channel", "shop", "--status", "confirmed",
                                                        "--limit", "0", "--json").json() as? [[String: Any]])
        let shopIDs = Set(listed.compactMap { $0["id"] as? String })
        #expect(shopIDs.contains(ids[1]))
        #expect(!shopIDs.contains(ids[0]))
        #expect(listed.allSatisfy { $0["status"] as? String == "confirmed" && $0["channel"] as? String == "shop" })
        let table = try await harness.oms("orders", "--status", "confirmed", "--limit", "0")
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("ID"))
        #expect(table.stdout.contains(ids[3]))
        #expect(!table.stdout.contains(":history"))
    }

    @Test("a large file shows progress and publishes every order")
    func progress() async throws {
        let harness = try await PipelineHarness.start("cli-publish-progress")
        defer { Task { await harness.stop([]) } }
        let tag = UUID().uuidString.prefix(6)
        let lines = (1...1200).map { Self.order("cli-big-\(tag)-\($0)", sku: "CLI-BIG") }
        let file = try OMSCLI.file("big.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try await harness.oms("publish", "--progress-every", "500", file)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("published 500 of 1200"), "\(result)")
        #expect(result.stderr.contains("published 1200 of 1200"), "\(result)")
        #expect(result.stdout.contains("published 1200, refused 0, duplicates 0"), "\(result)")
        #expect(try await harness.amqp.inspect(queue: "oms.capture").messages == 1200)
    }

    @Test("errors are one line: missing file, bad flag, unreachable broker, wrong password")
    func errorsAreOneLine() async throws {
        let missing = try await OMSCLI.run(["publish", "/nonexistent/orders.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "no such file: /nonexistent/orders.json\n", "\(missing)")

        let badFlag = try await OMSCLI.run(["orders", "--status", "lost"])
        #expect(badFlag.status != 0)
        #expect(badFlag.stderr.split(separator: "\n").count == 1, "\(badFlag)")

        let file = try OMSCLI.file("one.jsonl", Self.order("cli-err-\(UUID().uuidString.prefix(6))", sku: "X") + "\n")
        let unreachable = try await OMSCLI.run(["publish", file], environment: [
            "OMS_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2F",
        ])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("127.0.0.1:1"), "\(unreachable)")
        #expect(unreachable.stderr.contains("scripts/services up"), "\(unreachable)")
        #expect(unreachable.stderr.split(separator: "\n").count == 1, "\(unreachable)")

        let refused = try await OMSCLI.run(["publish", file, "--amqp-url", "amqp://guest:s3cretpw@127.0.0.1:\(PipelineHarness.brokerPort)/%2F"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused the credentials"), "\(refused)")
        #expect(!refused.stderr.contains("s3cretpw"), "the password is not printed: \(refused)")

        let badID = try await OMSCLI.run(["status", "has space"])
        #expect(badID.status == 1)
        #expect(badID.stderr.contains("invalid order id"), "\(badID)")
    }
}
