import AMQPClient
import Foundation
import OMSContract
import Testing

/// What the browser scenario needs beside the browser: the Shopify order
/// with SKUs of its own in stock, a warehouse in the order's country, a
/// dead letter, and a queue that sees the letter published and replayed.
struct BrowserScenario {
    let pipeline: PipelineHarness
    let orderID: String
    let webhookPath: String
    let deadLetterID: String
    let documents: String
    let routingRules: String
    static let replayTap = "test.browser.order-place"
    static let adminPassword = "browser test password"
    static let shopifySecret = "browser-test-shopify-secret"

    static let script = TestServers.repositoryRoot.appendingPathComponent("Tests/Browser/dashboard_scenario.py").path
    static let screenshots = TestServers.repositoryRoot.appendingPathComponent(".state/screenshots").path

    /// A database of the shared Redis for this test alone: the dashboard
    /// lists every order in its database, and database 0 holds every order
    /// the other tests ever left there.
    static var redisURL: String {
        var url = URLComponents(string: TestServers.redisURL)
        url?.path = "/9"
        return url?.string ?? "redis://127.0.0.1:6379/9"
    }

    static var canRun: Bool {
        ["chromium", "chromedriver"].allSatisfy(onPath)
            || ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    static let missing: Comment = "chromium and chromedriver are not installed (make test installs them)"

    private static func onPath(_ command: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(command)") }
    }

    static func prepare(_ pipeline: PipelineHarness) async throws -> BrowserScenario {
        let documents = FulfilmentTests.documentsFolder()
        let routingRules = try usWarehouse(pipeline, documents: documents)
        let (webhookPath, orderID, skus) = try shopifyOrder(pipeline)
        for sku in skus { try await pipeline.inventory.set(sku: sku, available: 20, bin: "A-01") }
        try await placeOrdersFromOtherChannels(pipeline, skus: skus)
        try await pipeline.amqp.declare(AMQPTopology(
            queues: [AMQPTopology.Queue(replayTap, durable: false, exclusive: true, autoDelete: true)],
            bindings: [AMQPTopology.Binding(queue: replayTap, exchange: Topology.intake, routingKey: "order.place")]))
        let deadLetterID = "browser-malformed-\(pipeline.vhost.suffix(8))"
        try await pipeline.publish("order.place", json: #"{"id": "\#(deadLetterID)", "lines": ["#,
                                   messageID: deadLetterID)
        return BrowserScenario(pipeline: pipeline, orderID: orderID, webhookPath: webhookPath,
                               deadLetterID: deadLetterID, documents: documents, routingRules: routingRules)
    }

    /// Runs the script until its verdict; its output, or an error with it.
    func run(against server: ServeProcess) async throws -> String {
        let deadLettered = try await pipeline.wait(timeout: TestBounds.failsFast) {
            try await pipeline.amqp.inspect(queue: Topology.dead).messages >= 1
        }
        try #require(deadLettered, "capture did not dead-letter \(deadLetterID); logs in \(pipeline.logDirectory)")
        return try await ChildProcess.run([
            "python3", Self.script, "--base-url", "http://127.0.0.1:\(server.port)", "--password", Self.adminPassword,
            "--shopify-secret", Self.shopifySecret, "--webhook", webhookPath, "--dead-letter", deadLetterID,
            "--screenshots", Self.screenshots,
        ])
    }

    /// How many times the dead letter's message went to `order.place`.
    func deliveriesOfDeadLetter() async throws -> Int {
        var count = 0
        while let delivery = try await pipeline.amqp.get(queue: Self.replayTap) {
            if delivery.messageID == deadLetterID { count += 1 }
        }
        return count
    }

    /// The example Shopify order with an id and SKUs of this run's own, in a file.
    private static func shopifyOrder(_ pipeline: PipelineHarness) throws -> (path: String, orderID: String,
                                                                             skus: [String]) {
        let example = TestServers.repositoryRoot.appendingPathComponent("examples/webhooks/shopify-orders-create.json")
        var order = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        let id = Int.random(in: 1_000_000...9_999_999_999)
        order["id"] = id
        var lines = try #require(order["line_items"] as? [[String: Any]])
        for index in lines.indices { lines[index]["sku"] = TestOrders.sku("BROWSER") }
        order["line_items"] = lines
        let path = "\(pipeline.logDirectory)/shopify-order.json"
        try JSONSerialization.data(withJSONObject: order).write(to: URL(fileURLWithPath: path))
        return (path, "shopify-\(id)", lines.compactMap { $0["sku"] as? String })
    }

    /// Routing rules with one warehouse in the United States, where the
    /// Shopify example ships: a domestic parcel needs no customs codes.
    private static func usWarehouse(_ pipeline: PipelineHarness, documents: String) throws -> String {
        let warehouse = FulfilmentTests.warehouse(pipeline)
        let rules = "\(documents)/routing-rules-us.json"
        try FileManager.default.createDirectory(atPath: documents, withIntermediateDirectories: true)
        try Data("""
            {"default_location": "\(warehouse)", "locations": {"\(warehouse)": {"country": "US",
             "name": "oms Test Warehouse", "lines": ["200 Dock Street"], "city": "Baltimore", "postal_code": "21202"}},
             "rules": []}
            """.utf8).write(to: URL(fileURLWithPath: rules))
        return rules
    }

    /// A few orders from other channels, so the dashboard shows more than one.
    private static func placeOrdersFromOtherChannels(_ pipeline: PipelineHarness, skus: [String]) async throws {
        for channel in ["web", "amazon", "etsy"] {
            let id = "\(channel)-\(pipeline.vhost.suffix(8))"
            try await pipeline.publish("order.place", json: TestOrders.place(
                id: id, channel: channel, lines: [(skus[0], 1)], country: "US"), messageID: id)
        }
    }
}
