import Crypto
import Foundation
import Testing

/// The webhooks against a running server and RabbitMQ, signed as the shops sign.
@Suite("HTTP webhooks", .serialized)
struct WebhookTests {
    static func sign(_ body: [UInt8], _ secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    /// The example payload with a fresh order id, so runs do not meet each other's orders.
    static func payload(_ name: String, id: Int) throws -> [UInt8] {
        var object = try JSONSerialization.jsonObject(with: Data(try WebhookMappingTests.example(name))) as! [String: Any]
        object["id"] = id
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    @Test("a signed Shopify order is published once per delivery under shopify-<id>, as the same order")
    func shopify() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["order.place"])
        let id = Int.random(in: 1_000_000...9_999_999_999)
        let body = try Self.payload("shopify-orders-create.json", id: id)
        let headers = ["X-Shopify-Hmac-Sha256": Self.sign(body, LiveServer.shopifySecret),
                       "X-Shopify-Topic": "orders/create", "Content-Type": "application/json"]
        let first = try await server.send("POST", "/webhooks/shopify", headers: headers, body: body)
        let again = try await server.send("POST", "/webhooks/shopify", headers: headers, body: body)
        #expect(first.status == 202)
        #expect(again.status == 202)
        #expect(first.json["order_id"] as? String == "shopify-\(id)")
        let published = await tap.wait(for: 2, messageID: "shopify-\(id)")
        #expect(published.map(\.messageID) == ["shopify-\(id)", "shopify-\(id)"])
        #expect(published.count == 2 && published[0].body == published[1].body)
        await server.stop()
    }

    @Test("a signed WooCommerce order is published under woocommerce-<id>")
    func wooCommerce() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["order.place"])
        let id = Int.random(in: 1_000_000...9_999_999_999)
        let body = try Self.payload("woocommerce-order-created.json", id: id)
        let reply = try await server.send("POST", "/webhooks/woocommerce",
                                          headers: ["X-WC-Webhook-Signature": Self.sign(body, LiveServer.wooCommerceSecret)],
                                          body: body)
        #expect(reply.status == 202)
        let published = await tap.wait(for: 1, messageID: "woocommerce-\(id)")
        #expect(published.count == 1)
        let order = try JSONSerialization.jsonObject(with: Data(try #require(published.first).body)) as? [String: Any]
        #expect((order?["payment"] as? [String: String]) == ["method": "prepaid"])
        await server.stop()
    }

    @Test("a missing, wrong or other shop's signature is 401 and publishes nothing")
    func badSignatures() async throws {
        let server = try await LiveServer.start()
        let tap = try await IntakeTap.bind(server.amqp, ["order.place"])
        let id = Int.random(in: 1_000_000...9_999_999_999)
        let body = try Self.payload("shopify-orders-create.json", id: id)
        let missing = try await server.send("POST", "/webhooks/shopify", body: body)
        let wrong = try await server.send("POST", "/webhooks/shopify",
                                          headers: ["X-Shopify-Hmac-Sha256": Self.sign(body + [0x20], LiveServer.shopifySecret)],
                                          body: body)
        let otherShop = try await server.send("POST", "/webhooks/woocommerce",
                                              headers: ["X-WC-Webhook-Signature": Self.sign(body, LiveServer.shopifySecret)],
                                              body: body)
        #expect([missing.status, wrong.status, otherShop.status] == [Int](repeating: 401, count: 3))
        #expect(await tap.wait(for: 1, messageID: "shopify-\(id)", timeout: .milliseconds(500)).isEmpty)
        await server.stop()
    }
}
