import OMSDomain

/// Orders built as production gets them: `order.place` JSON through the
/// intake validator.
enum TestOrders {
    static let mug = #"{ "sku": "MUG-BLUE", "quantity": 2, "unit_price": 1250, "name": "Blue mug", "weight_grams": 400, "hs_code": "691200", "origin_country": "PT" }"#
    static let tea = #"{ "sku": "TEA-EARL", "quantity": 1, "unit_price": 899, "hs_code": "090240" }"#

    static func order(id: String = "web-1", channel: String = "web", country: String = "GB",
                      service: String = "standard", tags: [String] = [], lines: [String] = [mug]) throws -> Order {
        let json = """
            { "id": "\(id)", "channel": "\(channel)", "placed_at": "2026-11-22T10:00:00Z", "currency": "USD",
              "customer": { "name": "Ada Lovelace", "email": "ada@example.com" },
              "shipping_address": { "line1": "12 Analytical St", "city": "London", "country": "\(country)" },
              "lines": [\(lines.joined(separator: ", "))],
              "shipping": { "service": "\(service)" },
              "payment": { "method": "card", "token": "tok_visa" },
              "tags": [\(tags.map { "\"\($0)\"" }.joined(separator: ", "))] }
            """
        guard case .place(let order) = try IntakeMessage.decode(routingKey: "order.place", body: Array(json.utf8))
        else { fatalError("not an order.place") }
        return order
    }
}
