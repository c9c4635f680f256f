import Foundation

/// An order as `order.place` carries it (DESIGN.md), after validation.
public struct Order: Sendable, Hashable, Codable {
    public var id: String
    public var channel: String
    public var externalID: String?
    public var placedAt: Date
    public var currency: Currency
    public var customer: Customer
    public var shippingAddress: Address
    public var lines: [OrderLine]
    public var shipping: Shipping
    public var payment: Payment
    public var tags: [String]

    public struct Customer: Sendable, Hashable, Codable {
        public var name: String
        public var email: String
        public var phone: String?
    }

    public struct Address: Sendable, Hashable, Codable {
        public var line1: String
        public var line2: String?
        public var city: String
        public var region: String?
        public var postalCode: String?
        public var country: String

        enum CodingKeys: String, CodingKey {
            case line1, line2, city, region, country
            case postalCode = "postal_code"
        }
    }

    public struct Shipping: Sendable, Hashable, Codable {
        public enum Service: String, Sendable, Codable, CaseIterable { case standard, express, overnight }
        public var service: Service
    }

    public struct Payment: Sendable, Hashable, Codable {
        public enum Method: String, Sendable, Codable, CaseIterable { case card, prepaid }
        public var method: Method
        public var token: String?
    }

    enum CodingKeys: String, CodingKey {
        case id, channel, currency, customer, lines, shipping, payment, tags
        case externalID = "external_id"
        case placedAt = "placed_at"
        case shippingAddress = "shipping_address"
    }

    /// The sum of every line's price times quantity.
    public var total: Money {
        get throws(Money.ArithmeticError) {
            var sum = Money.zero(currency)
            for line in lines {
                sum = try sum.adding(try Money(minorUnits: line.unitPrice, currency: currency)
                    .multiplied(by: line.quantity))
            }
            return sum
        }
    }
}

public struct OrderLine: Sendable, Hashable, Codable {
    public var sku: String
    public var quantity: Int
    /// Minor units of the order's currency.
    public var unitPrice: Int64
    public var name: String?
    public var weightGrams: Int?
    public var hsCode: String?
    public var originCountry: String?

    enum CodingKeys: String, CodingKey {
        case sku, quantity, name
        case unitPrice = "unit_price"
        case weightGrams = "weight_grams"
        case hsCode = "hs_code"
        case originCountry = "origin_country"
    }
}
