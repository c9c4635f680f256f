import Documents
import Foundation
import Fulfilment
import OMSDomain

/// Orders as oms stores them (the JSON `OrderCoding` reads), so tests get
/// production's input.
enum Fixtures {
    struct Line {
        var sku: String
        var quantity: Int
        var unitPrice: Int
        var name: String?
        var weightGrams: Int?
        var hsCode: String?
        var originCountry: String?
    }

    static let mug = Line(sku: "MUG-BLUE", quantity: 2, unitPrice: 1250, name: "Blue stoneware mug",
                          weightGrams: 350, hsCode: "6912.00", originCountry: "PT")
    static let tea = Line(sku: "TEA-EARL", quantity: 1, unitPrice: 899, name: "Earl Grey tea, 250 g",
                          weightGrams: 260, hsCode: "0902.30", originCountry: "IN")

    static let warehouse = PostalAddress(name: "oms Fulfilment Centre", lines: ["Unit 4, Dock Road"],
                                         city: "Tilbury", postalCode: "RM18 7EH", country: "GB")

    static let placedAt = Date(timeIntervalSince1970: 1_795_341_600)  // 2026-11-22T10:00:00Z

    static func order(id: String = "web-100234", customer: String = "Ada Lovelace", country: String = "GB",
                      currency: String = "USD", lines: [Line] = [mug, tea]) -> Order {
        let json: [String: Any] = [
            "id": id, "channel": "web", "external_id": "#100234", "placed_at": "2026-11-22T10:00:00Z",
            "currency": currency,
            "customer": ["name": customer, "email": "ada@example.com"],
            "shipping_address": ["line1": "12 Analytical St", "city": "London", "postal_code": "N1 9GU",
                                 "country": country],
            "lines": lines.map { line in
                var fields: [String: Any] = ["sku": line.sku, "quantity": line.quantity, "unit_price": line.unitPrice]
                fields["name"] = line.name
                fields["weight_grams"] = line.weightGrams
                fields["hs_code"] = line.hsCode
                fields["origin_country"] = line.originCountry
                return fields
            },
            "shipping": ["service": "express"],
            "payment": ["method": "card", "token": "tok_visa"],
            "tags": [String](),
        ]
        let data = try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return try! OrderCoding.decode(Array(data))
    }

    /// The label oms-ship prints for `order` from the warehouse, with the
    /// customs declaration it makes (default item weight 500 g).
    static func label(_ order: Order, trackingNumber: String = "OMS123") throws -> ShippingLabel {
        let customs = try CustomsDeclaration.make(for: order, from: warehouse.country, defaultItemWeightGrams: 500)
        return ShippingLabel(from: warehouse, order: order, carrier: "table-rate", service: .express,
                             weightGrams: 1250, trackingNumber: trackingNumber, shipDate: placedAt, customs: customs)
    }

    /// `count` lines of distinct SKUs.
    static func manyLines(_ count: Int) -> [Line] {
        (1...count).map { number in
            Line(sku: "SKU-\(number)", quantity: number % 3 + 1, unitPrice: 100 * number, name: "Item number \(number)",
                 weightGrams: 50, hsCode: "9503.\(number)", originCountry: "CN")
        }
    }
}
