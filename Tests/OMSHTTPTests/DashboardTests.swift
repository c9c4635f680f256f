import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Testing
import WorkerRuntime

/// The dashboard against a running server, RabbitMQ and Redis, as a browser uses it.
@Suite("HTTP dashboard", .serialized)
struct DashboardTests {
    @Test("staff sign in with the password and get an HttpOnly SameSite=Strict session")
    func signIn() async throws {
        let server = try await LiveServer.start()
        let anonymous = try await server.send("GET", "/")
        #expect(anonymous.status == 303)
        #expect(anonymous.header("Location") == "/signin")
        let form = try await server.send("GET", "/signin")
        let nonce = try #require(LiveServer.cookie("oms_signin", in: form))
        let csrf = try #require(LiveServer.hiddenCSRF(in: form.text))
        let headers = ["Cookie": "oms_signin=\(nonce)", "Content-Type": "application/x-www-form-urlencoded"]
        let wrong = try await server.send("POST", "/signin", headers: headers, body: Array("csrf=\(csrf)&password=guess".utf8))
        #expect(wrong.status == 401)
        #expect(LiveServer.cookie("oms_session", in: wrong) == nil)
        let forged = try await server.send("POST", "/signin", headers: headers,
                                           body: Array("password=correct+horse+battery+staple".utf8))
        #expect(forged.status == 403)
        let right = try await server.send("POST", "/signin", headers: headers,
                                          body: Array("csrf=\(csrf)&password=correct+horse+battery+staple".utf8))
        #expect(right.status == 303)
        let setCookie = try #require(right.header("Set-Cookie"))
        #expect(setCookie.contains("HttpOnly"))
        #expect(setCookie.contains("SameSite=Strict"))
        let session = try #require(LiveServer.cookie("oms_session", in: right))
        let orders = try await server.staff("GET", "/", session: session)
        #expect(orders.status == 200)
        #expect(orders.text.contains("<h1>Orders</h1>"))
        #expect(try await server.staff("GET", "/", session: session + "x").status == 303)
        await server.stop()
    }

    @Test("an order page shows lines, timeline, effects and documents, and a customer's <script> only as text")
    func orderPage() async throws {
        let server = try await LiveServer.start()
        let session = try await server.signIn()
        let id = TestBackends.unique("dash")
        try await server.storeReceived(APITests.orderBody(id: id, name: "<script>alert(1)</script>"))
        try await OrderStore(redis: server.redis).recordEffect(orderID: id, effect: Effect.email("order.confirmed"), value: "<m1@oms>")
        let page = try await server.staff("GET", "/orders/\(id)", session: session)
        #expect(page.status == 200)
        #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.text.contains("<script>alert(1)"))
        #expect(page.text.contains("<td>MUG-BLUE</td><td>2</td><td>12.50 USD</td>"))
        #expect(page.text.contains("(new) → received"))
        #expect(page.text.contains("email sent: order.confirmed"))
        #expect(!page.text.contains("label.pdf"))
        let label = Array("%PDF-1.4 label of \(id)".utf8)
        try FileManager.default.createDirectory(atPath: LiveServer.documents + "/labels", withIntermediateDirectories: true)
        try Data(label).write(to: URL(fileURLWithPath: LiveServer.documents + "/labels/\(id).pdf"))
        let linked = try await server.staff("GET", "/orders/\(id)", session: session)
        #expect(linked.text.contains("<a href=\"/orders/\(id)/label.pdf\">Shipping label (PDF)</a>"))
        let pdf = try await server.staff("GET", "/orders/\(id)/label.pdf", session: session)
        #expect(pdf.header("Content-Type") == "application/pdf")
        #expect(pdf.body == label)
        #expect(try await server.send("GET", "/orders/\(id)/label.pdf").status == 303)
        #expect(try await server.staff("GET", "/orders/..%2Flabels%2F\(id)/label.pdf", session: session).status == 404)
        let list = try await server.staff("GET", "/?q=\(id)", session: session)
        #expect(list.text.contains("<a href=\"/orders/\(id)\">\(id)</a>"))
        #expect(list.text.contains("<p>1 orders"))
        await server.stop()
    }

    @Test("the page of an order in parcels lists them with their tracking, and links each parcel's label")
    func orderInParcels() async throws {
        let server = try await LiveServer.start()
        let session = try await server.signIn()
        let id = TestBackends.unique("dashsplit")
        try await server.storeReceived(APITests.orderBody(id: id, name: "Ada"))
        let shipped = [
            ShippedParcel(number: 1, location: "LON-1", lines: [.init(sku: "MUG-BLUE", quantity: 2)],
                          carrier: "table-rate", trackingNumber: "CS093311895GB", estimatedDelivery: nil),
            ShippedParcel(number: 2, location: "BER-1", lines: [.init(sku: "POSTER-A2", quantity: 1)],
                          carrier: "table-rate", trackingNumber: "CA744465568DE", estimatedDelivery: nil),
        ]
        _ = try await server.redis.send(RedisCommand("HSET", RedisKeys.order(id), ShippedParcel.field,
                                                     ShippedParcel.encode(shipped)))
        try await OrderStore(redis: server.redis).recordEffect(orderID: id, effect: Effect.label(parcel: 2),
                                                               value: "CA744465568DE")
        let label = Array("%PDF-1.4 label of parcel 2 of \(id)".utf8)
        try FileManager.default.createDirectory(atPath: LiveServer.documents + "/labels", withIntermediateDirectories: true)
        try Data(label).write(to: URL(fileURLWithPath: LiveServer.documents + "/labels/\(id)-2.pdf"))

        let page = try await server.staff("GET", "/orders/\(id)", session: session)
        #expect(page.text.contains("<td>1</td><td>LON-1</td><td>2 × MUG-BLUE</td><td>CS093311895GB table-rate</td>"))
        #expect(page.text.contains("<td>2</td><td>BER-1</td><td>1 × POSTER-A2</td><td>CA744465568DE table-rate</td>"))
        #expect(page.text.contains("shipping label of parcel 2 (tracking number)"))
        #expect(page.text.contains("<a href=\"/orders/\(id)/parcels/2/label.pdf\">Shipping label, parcel 2 (PDF)</a>"))
        #expect(!page.text.contains("parcels/1/label.pdf"), "parcel 1 has no label file here")
        let pdf = try await server.staff("GET", "/orders/\(id)/parcels/2/label.pdf", session: session)
        #expect(pdf.header("Content-Type") == "application/pdf" && pdf.body == label)
        #expect(try await server.staff("GET", "/orders/\(id)/parcels/0/label.pdf", session: session).status == 404)
        #expect(try await server.send("GET", "/orders/\(id)/parcels/2/label.pdf").status == 303)

        // The API lists them too, as openapi.yaml's Order.parcels.
        let api = try await server.api("GET", "/api/v1/orders/\(id)")
        let parcels = try #require(api.json["parcels"] as? [[String: Any]])
        #expect(parcels.compactMap { $0["tracking_number"] as? String } == ["CS093311895GB", "CA744465568DE"])
        #expect(parcels.compactMap { $0["location"] as? String } == ["LON-1", "BER-1"])
        #expect((parcels[1]["lines"] as? [[String: Any]])?.first?["sku"] as? String == "POSTER-A2")
        await server.stop()
    }

    @Test("a stock form without its CSRF token is 403 and changes nothing; with it, stock is set and added")
    func stockForms() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["stock.restocked"])
        let session = try await server.signIn()
        let sku = "DASH-" + TestBackends.unique("SKU").uppercased()
        let forged = try await server.staff("POST", "/stock/set", session: session, form: "sku=\(sku)&available=9")
        #expect(forged.status == 403)
        #expect(try await InventoryStore(redis: server.redis).levels(sku: sku) == nil)
        let page = try await server.staff("GET", "/stock", session: session)
        let csrf = try #require(LiveServer.hiddenCSRF(in: page.text))
        let set = try await server.staff("POST", "/stock/set", session: session,
                                         form: "csrf=\(csrf)&sku=\(sku)&available=2&location=A-09&reorder_point=5")
        #expect(set.status == 303)
        let levels = try await InventoryStore(redis: server.redis).levels(sku: sku)
        #expect(levels?.available == 2)
        #expect(levels?.reorderPoint == 5)
        let marked = try await server.staff("GET", "/stock", session: session)
        #expect(marked.text.contains("<tr class=\"low\"><td>\(sku)</td><td>2</td>"))
        let add = try await server.staff("POST", "/stock/add", session: session, form: "csrf=\(csrf)&sku=\(sku)&quantity=7")
        #expect(add.status == 303)
        let restock = try #require(await tap.wait(for: 1).first)
        let json = try JSONSerialization.jsonObject(with: Data(restock.body)) as? [String: Any]
        #expect(json?["sku"] as? String == sku)
        #expect(json?["quantity"] as? Int == 7)
        await server.stop()
    }

    @Test("a status event on oms.events reaches an open /events stream, which a graceful shutdown ends")
    func liveEvents() async throws {
        let server = try await LiveServer.start()
        let session = try await server.signIn()
        let stream = try EventStreamReader(port: server.port, session: session)
        try await stream.waitForConnection()
        let id = TestBackends.unique("live")
        var data = OrderEventData(orderID: id, status: .confirmed, version: 2, channel: "web")
        data.previousStatus = .received
        try await server.amqp.publish(AMQPMessage(
            exchange: Topology.events, routingKey: "order.confirmed",
            body: StatusEvent.order(data, stage: "capture", time: Date(), traceparent: nil).encoded(), mandatory: false))
        let line = try #require(await stream.line(containing: id))
        let change = try JSONSerialization.jsonObject(with: Data(line.dropFirst("data: ".count).utf8)) as? [String: Any]
        #expect(change?["status"] as? String == "confirmed")
        #expect(change?["from"] as? String == "received")
        #expect(change?["channel"] as? String == "web")
        #expect(try await server.send("GET", "/events").status == 401)
        await server.stop()
        stream.close()
    }
}

/// `curl -N` on `/events`: a real client holding the stream open. A thread
/// of its own reads curl's output (blocking reads, until end of file).
final class EventStreamReader: @unchecked Sendable {
    private let process = Process()
    private let lines = LockedLines()

    init(port: Int, session: String) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-sN", "-H", "Cookie: oms_session=\(session)", "http://127.0.0.1:\(port)/events"]
        process.standardOutput = output
        try process.run()
        let lines = lines
        Thread.detachNewThread {
            while case let chunk = output.fileHandleForReading.availableData, !chunk.isEmpty {
                lines.append(String(decoding: chunk, as: UTF8.self))
            }
        }
    }

    func waitForConnection() async throws {
        _ = try #require(await line(containing: ": connected"))
    }

    func line(containing text: String, timeout: Duration = .seconds(10)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.all().first(where: { $0.contains(text) }) { return line }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func close() {
        kill(process.processIdentifier, SIGKILL)
    }
}

private final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    func append(_ chunk: String) {
        lock.withLock { text += chunk }
    }

    func all() -> [String] {
        lock.withLock { text.split(separator: "\n").map(String.init) }
    }
}

/// Dead letters (in a vhost of the test's own) and the report, as staff see them.
@Suite("HTTP dashboard: dead letters and report", .serialized)
struct DashboardOperationsTests {
    @Test("a dead letter is listed, shown, and replayed to where it came from, then gone from oms.dead")
    func deadLetters() async throws {
        let vhost = try await TestVhost.make("http-dead")
        let server = try await LiveServer.start(amqpURL: vhost.amqpURL)
        let tap = try await IntakeTap.bind(server.amqp, ["order.place"])
        let session = try await server.signIn()
        let id = TestBackends.unique("dead")
        let body = APITests.orderBody(id: id)
        try await server.amqp.publish(AMQPMessage(
            exchange: "", routingKey: Topology.dead, body: body,
            headers: [Headers.stage: "capture", Headers.error: "unknown SKU MUG-BLUE", Headers.attempts: 1,
                      Headers.originalExchange: .string(Topology.intake), Headers.originalRoutingKey: "order.place"],
            messageID: id))
        let list = try await server.staff("GET", "/dead-letters", session: session)
        #expect(list.status == 200)
        #expect(list.text.contains("<p>1 messages in oms.dead."), "the vhost's own oms.dead")
        #expect(list.text.contains(">\(id)</a>"))
        #expect(list.text.contains("unknown SKU MUG-BLUE"))
        let number = try #require(list.text.range(of: #"<a href="/dead-letters/(\d+)">\#(id)</a>"#, options: .regularExpression)
            .map { String(list.text[$0]).split(separator: "/")[2].prefix { $0.isNumber } })
        let shown = try await server.staff("GET", "/dead-letters/\(number)", session: session)
        #expect(shown.text.contains("x-oms-original-routing-key"))
        #expect(shown.text.contains("&quot;id&quot;:&quot;\(id)&quot;"))
        let csrf = try #require(LiveServer.hiddenCSRF(in: list.text))
        let replay = try await server.staff("POST", "/dead-letters/replay", session: session, form: "csrf=\(csrf)&id=\(id)")
        #expect(replay.status == 303)
        let replayed = await tap.wait(for: 1, messageID: id)
        #expect(replayed.first?.body == body)
        #expect(replayed.first?.headers[Headers.stage] == nil)
        let after = try await server.staff("GET", "/dead-letters", session: session)
        #expect(after.text.contains("<p>0 messages in oms.dead."))
        await server.stop()
        await vhost.remove()
    }

    @Test("the report page shows the figures and three SVG bar charts")
    func report() async throws {
        let server = try await LiveServer.start()
        let session = try await server.signIn()
        let page = try await server.staff("GET", "/report", session: session)
        #expect(page.status == 200)
        #expect(page.text.components(separatedBy: "<svg ").count == 4)
        #expect(page.text.contains("<title>Orders now, per status</title>"))
        #expect(page.text.contains("<th>Delivery success</th>"))
        await server.stop()
    }
}
