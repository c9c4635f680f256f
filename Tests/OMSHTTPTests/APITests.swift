import Foundation
import OMSDomain
import OMSStore
import RedisClient
import Testing

/// `/api/v1` against a running server, RabbitMQ and Redis.
@Suite("HTTP API", .serialized)
struct APITests {
    static func orderBody(id: String, sku: String = "MUG-BLUE", quantity: Any = 2, email: String = "ada@example.com",
                          name: String = "Ada Lovelace") -> [UInt8] {
        let order: [String: Any] = [
            "id": id, "channel": "web", "placed_at": "2026-11-22T10:00:00Z", "currency": "USD",
            "customer": ["name": name, "email": email],
            "shipping_address": ["line1": "12 Analytical St", "city": "London", "postal_code": "N1 9GU", "country": "GB"],
            "lines": [["sku": sku, "quantity": quantity, "unit_price": 1250]],
            "shipping": ["service": "standard"], "payment": ["method": "card", "token": "tok_visa"],
        ]
        return Array(try! JSONSerialization.data(withJSONObject: order, options: [.sortedKeys]))
    }

    @Test("a valid order is answered 202 with its id once oms.intake has it")
    func placeOrder() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["order.place"])
        let id = TestBackends.unique("api")
        let reply = try await server.api("POST", "/api/v1/orders", body: Self.orderBody(id: id))
        #expect(reply.status == 202, "\(reply.text)")
        #expect(reply.json["order_id"] as? String == id)
        let published = await tap.wait(for: 1, messageID: id)
        #expect(published.count == 1)
        #expect(published.first?.body == Self.orderBody(id: id))
        await server.stop()
    }

    @Test("an invalid order is 422 with every problem by field path, and nothing is published")
    func invalidOrder() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["order.place"])
        let id = TestBackends.unique("api")
        let reply = try await server.api("POST", "/api/v1/orders",
                                         body: Self.orderBody(id: id, sku: "mug blue", quantity: 0, email: "nobody"))
        #expect(reply.status == 422)
        let problems = (reply.json["problems"] as? [[String: String]]) ?? []
        #expect(Set(problems.compactMap { $0["path"] }) == ["customer.email", "lines[0].sku", "lines[0].quantity"])
        #expect(problems.allSatisfy { !($0["reason"] ?? "").isEmpty })
        #expect(await tap.wait(for: 1, messageID: id, timeout: .milliseconds(500)).isEmpty)
        await server.stop()
    }

    @Test("malformed JSON is 400, a body over the limit 413")
    func badBodies() async throws {
        let server = try await LiveServer.start(maximumBodyBytes: 2048)
        let malformed = try await server.api("POST", "/api/v1/orders", body: Array("{\"id\": ".utf8))
        #expect(malformed.status == 400)
        #expect(malformed.json["error"] as? String == "message body is not valid JSON")
        let large = try await server.api("POST", "/api/v1/orders", body: Array(repeating: 0x20, count: 4096))
        #expect(large.status == 413)
        await server.stop()
    }

    @Test("without a key, or with a wrong one, the API is 401")
    func apiKeys() async throws {
        let server = try await LiveServer.start()
        let none = try await server.send("GET", "/api/v1/orders")
        #expect(none.status == 401)
        #expect(none.header("WWW-Authenticate") == "Bearer realm=\"oms\"")
        let wrong = try await server.send("GET", "/api/v1/orders", headers: ["Authorization": "Bearer test-key-2"])
        #expect(wrong.status == 401)
        let prefix = try await server.send("GET", "/api/v1/orders", headers: ["Authorization": "Bearer test-key"])
        #expect(prefix.status == 401)
        let other = try await server.send("GET", "/api/v1/stock/NONE", headers: ["Authorization": "Bearer other-key"])
        #expect(other.status == 404)
        await server.stop()
    }

    @Test("an order in Redis is read back with its lines and timeline; an unknown one is 404")
    func readOrder() async throws {
        let server = try await LiveServer.start()
        let id = TestBackends.unique("api")
        try await server.storeReceived(Self.orderBody(id: id))
        let reply = try await server.api("GET", "/api/v1/orders/\(id)")
        #expect(reply.status == 200)
        #expect(reply.json["status"] as? String == "received")
        #expect(reply.json["total_minor_units"] as? Int == 2500)
        let lines = reply.json["lines"] as? [[String: Any]] ?? []
        #expect(lines.first?["sku"] as? String == "MUG-BLUE")
        #expect(lines.first?["quantity"] as? Int == 2)
        #expect((reply.json["history"] as? [[String: Any]])?.first?["to"] as? String == "received")
        #expect(try await server.api("GET", "/api/v1/orders/\(id)-none").status == 404)
        await server.stop()
    }

    @Test("the list filters by channel and pages with a cursor")
    func listOrders() async throws {
        let server = try await LiveServer.start()
        let channel = "test" + TestBackends.unique("").replacingOccurrences(of: "-", with: "")
        let store = OrderStore(redis: server.redis)
        var ids: [String] = []
        for second in 0..<3 {
            let id = TestBackends.unique("list")
            ids.append(id)
            _ = try await store.create(orderID: id, channel: channel, document: Self.orderBody(id: id),
                                       contentHash: "h\(second)", at: Date(timeIntervalSince1970: 1_800_000_000 + Double(second)),
                                       stage: "capture")
        }
        let first = try await server.api("GET", "/api/v1/orders?channel=\(channel)&limit=2")
        #expect(first.status == 200)
        let firstIDs = (first.json["orders"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(firstIDs == [ids[2], ids[1]])
        let cursor = try #require(first.json["next_cursor"] as? String)
        let second = try await server.api("GET", "/api/v1/orders?channel=\(channel)&limit=2&cursor=\(cursor)")
        #expect((second.json["orders"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == [ids[0]])
        #expect(second.json["next_cursor"] == nil)
        #expect(try await server.api("GET", "/api/v1/orders?status=lost").status == 400)
        #expect(try await server.api("GET", "/api/v1/orders?cursor=%25%25").status == 400)
        await server.stop()
    }

    @Test("a cancel of a known order publishes order.cancel; an unknown order is 404")
    func cancelOrder() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["order.cancel"])
        let id = TestBackends.unique("api")
        _ = try await OrderStore(redis: server.redis).create(
            orderID: id, channel: "web", document: Self.orderBody(id: id), contentHash: "h", at: Date(), stage: "capture")
        let reply = try await server.api("POST", "/api/v1/orders/\(id)/cancel", body: Array(#"{"reason":"changed my mind"}"#.utf8))
        #expect(reply.status == 202)
        let published = await tap.wait(for: 1)
        let body = try JSONSerialization.jsonObject(with: Data(try #require(published.first).body)) as? [String: String]
        #expect(body == ["order_id": id, "reason": "changed my mind"])
        #expect(try await server.api("POST", "/api/v1/orders/\(id)-none/cancel").status == 404)
        await server.stop()
    }

    @Test("stock is read with its counters and marked low at the reorder point")
    func stock() async throws {
        let server = try await LiveServer.start()
        let sku = "TEST-" + TestBackends.unique("SKU").uppercased()
        try await InventoryStore(redis: server.redis).set(sku: sku, available: 3, bin: "A-01", reorderPoint: 5)
        let reply = try await server.api("GET", "/api/v1/stock/\(sku)")
        #expect(reply.status == 200)
        #expect(reply.json["available"] as? Int == 3)
        #expect(reply.json["reserved"] as? Int == 0)
        #expect(reply.json["location"] as? String == "A-01")
        #expect(reply.json["low"] as? Bool == true)
        await server.stop()
    }
}
