import Foundation
@testable import OMSHTTP
import OMSDomain
import Testing

/// The example payloads in examples/webhooks, mapped and validated as the server does.
@Suite("webhook mapping")
struct WebhookMappingTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/webhooks")

    static func example(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: examples.appendingPathComponent(name)))
    }

    @Test("Shopify orders/create becomes a prepaid order with lines by SKU in cents")
    func shopify() throws {
        let order = try IntakeCheck.order(try ShopifyOrder.map(try Self.example("shopify-orders-create.json")).body())
        #expect(order.id == "shopify-5938771001370")
        #expect(order.channel == "shopify")
        #expect(order.externalID == "#1042")
        #expect(order.placedAt == Date(timeIntervalSince1970: 1_795_875_273))
        #expect(order.currency.code == "USD")
        #expect(order.customer.name == "Grace Hopper")
        #expect(order.customer.email == "grace.hopper@example.com")
        #expect(order.shippingAddress.line1 == "1 Compiler Way")
        #expect(order.shippingAddress.line2 == "Suite 200")
        #expect(order.shippingAddress.postalCode == "22201")
        #expect(order.shippingAddress.country == "US")
        #expect(order.lines.map(\.sku) == ["MUG-BLUE", "TEE-BLACK-M"])
        #expect(order.lines.map(\.quantity) == [2, 1])
        #expect(order.lines.map(\.unitPrice) == [1250, 1900])
        #expect(order.shipping.service == .express)
        #expect(order.payment.method == .prepaid)
    }

    @Test("WooCommerce order created becomes a prepaid order; its GMT date is read as UTC")
    func wooCommerce() throws {
        let order = try IntakeCheck.order(try WooCommerceOrder.map(try Self.example("woocommerce-order-created.json")).body())
        #expect(order.id == "woocommerce-727")
        #expect(order.channel == "woocommerce")
        #expect(order.externalID == "727")
        #expect(order.placedAt == Date(timeIntervalSince1970: 1_795_879_682))
        #expect(order.currency.code == "EUR")
        #expect(order.customer.name == "Emmy Noether")
        #expect(order.customer.email == "emmy.noether@example.de")
        #expect(order.shippingAddress.city == "Göttingen")
        #expect(order.shippingAddress.line2 == nil)
        #expect(order.lines.map(\.sku) == ["HOODIE-GREY-M"])
        #expect(order.lines.map(\.unitPrice) == [4500])
        #expect(order.shipping.service == .standard)
        #expect(order.payment.method == .prepaid)
    }

    @Test("a line without a SKU or with a price finer than the currency is refused by validation, by path")
    func badLines() throws {
        let payload = #"{"id": 1, "currency": "USD", "line_items": [{"quantity": 1, "price": "1.005", "sku": "A-1"}, {"quantity": 1, "price": "2.00"}]}"#
        #expect(throws: APIError.self) { try IntakeCheck.order(try ShopifyOrder.map(Array(payload.utf8)).body()) }
        do {
            _ = try IntakeCheck.order(try ShopifyOrder.map(Array(payload.utf8)).body())
        } catch let error as APIError {
            let paths = Set(error.problems.map(\.path))
            #expect(paths.isSuperset(of: ["lines[0].unit_price", "lines[1].sku", "customer.email"]))
        }
    }

    @Test("a payload that is not an order with an id is unreadable")
    func unreadable() {
        #expect(throws: ShopOrder.Unreadable.self) { try ShopifyOrder.map(Array(##"{"name": "#1"}"##.utf8)) }
        #expect(throws: ShopOrder.Unreadable.self) { try WooCommerceOrder.map(Array("webhook_id=5".utf8)) }
    }

    @Test("prices become minor units exactly, by the currency's exponent")
    func minorUnits() {
        #expect(MinorUnits.parse("19.99", exponent: 2) == 1999)
        #expect(MinorUnits.parse("19.9", exponent: 2) == 1990)
        #expect(MinorUnits.parse("19", exponent: 2) == 1900)
        #expect(MinorUnits.parse("0.10", exponent: 2) == 10)
        #expect(MinorUnits.parse("1800", exponent: 0) == 1800)
        #expect(MinorUnits.parse("1800.00", exponent: 0) == 1800)
        #expect(MinorUnits.parse("1.234", exponent: 3) == 1234)
        #expect(MinorUnits.parse("0.005", exponent: 2) == nil)
        #expect(MinorUnits.parse("-1.00", exponent: 2) == nil)
        #expect(MinorUnits.parse("1e3", exponent: 2) == nil)
        #expect(MinorUnits.parse(".5", exponent: 2) == nil)
    }

    @Test("the signature is base64 HMAC-SHA256 of the raw body; any other is refused")
    func signature() {
        let signature = WebhookSignature(secret: "key")
        let body = Array("The quick brown fox jumps over the lazy dog".utf8)
        // Known answer, computed independently (openssl dgst -sha256 -hmac key -binary | base64).
        #expect(signature.signature(of: body) == "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=")
        #expect(signature.verifies("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=", body: body))
        #expect(!signature.verifies("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=", body: body + [0x2E]))
        #expect(!signature.verifies("not base64!", body: body))
        #expect(!signature.verifies(nil, body: body))
        #expect(!WebhookSignature(secret: "other").verifies(signature.signature(of: body), body: body))
    }
}
