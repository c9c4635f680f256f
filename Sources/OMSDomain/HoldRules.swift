import Foundation

/// When capture holds an order for a person to look at (status `on_hold`,
/// nothing reserved until `oms hold release`): the shop's rules, from the file
/// `OMS_HOLD_RULES` names, for example
///
///     {"max_total": {"GBP": 50000, "USD": 60000},
///      "countries": ["RU", "BY"],
///      "max_orders_per_email_per_hour": 5}
///
/// Every rule is optional; no file, no holds. The first rule that matches
/// gives the reason, which is stored on the order and shown by `oms hold list`.
public struct HoldRules: Sendable, Equatable, Decodable {
    /// An order whose total is above this, in minor units of its currency, is held.
    public var maxTotal: [String: Int64]
    /// Orders shipping to these countries (ISO 3166-1 alpha-2) are held.
    public var countries: Set<String>
    /// A customer email seen on more orders than this within an hour is held.
    public var maxOrdersPerEmailPerHour: Int?

    public static let none = HoldRules(maxTotal: [:], countries: [], maxOrdersPerEmailPerHour: nil)

    public init(maxTotal: [String: Int64], countries: Set<String>, maxOrdersPerEmailPerHour: Int?) {
        self.maxTotal = maxTotal
        self.countries = countries
        self.maxOrdersPerEmailPerHour = maxOrdersPerEmailPerHour
    }

    enum CodingKeys: String, CodingKey {
        case maxTotal = "max_total"
        case countries
        case maxOrdersPerEmailPerHour = "max_orders_per_email_per_hour"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxTotal = try container.decodeIfPresent([String: Int64].self, forKey: .maxTotal) ?? [:]
        countries = try container.decodeIfPresent(Set<String>.self, forKey: .countries) ?? []
        maxOrdersPerEmailPerHour = try container.decodeIfPresent(Int.self, forKey: .maxOrdersPerEmailPerHour)
        if let limit = maxOrdersPerEmailPerHour, limit < 1 {
            throw DecodingError.dataCorruptedError(forKey: .maxOrdersPerEmailPerHour, in: container,
                                                   debugDescription: "must be 1 or more")
        }
        for code in maxTotal.keys where Currency(code: code) == nil {
            throw DecodingError.dataCorruptedError(forKey: .maxTotal, in: container,
                                                   debugDescription: "'\(code)' is not an ISO 4217 currency code")
        }
        for country in countries where !Country.codes.contains(country) {
            throw DecodingError.dataCorruptedError(forKey: .countries, in: container,
                                                   debugDescription: "'\(country)' is not an ISO 3166-1 alpha-2 code")
        }
    }

    /// Reads the rules file; the error names the file and what is wrong in it.
    public static func read(path: String) throws -> HoldRules {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HoldRulesError("cannot read the hold rules file \(path)")
        }
        do {
            return try JSONDecoder().decode(HoldRules.self, from: data)
        } catch let error as DecodingError {
            throw HoldRulesError("hold rules file \(path): \(error.plainDescription)")
        }
    }

    /// Whether the velocity rule needs the count of the email's recent orders.
    public var countsOrdersPerEmail: Bool { maxOrdersPerEmailPerHour != nil }

    /// The reason to hold the order, or nil. `ordersFromEmailInLastHour`
    /// counts this order too.
    public func reason(toHold order: Order, ordersFromEmailInLastHour: Int) -> String? {
        if let limit = maxTotal[order.currency.code], let total = try? order.total, total.minorUnits > limit {
            return "order total \(total) is above the hold limit \(Money(minorUnits: limit, currency: order.currency))"
        }
        if countries.contains(order.shippingAddress.country) {
            return "shipping country \(order.shippingAddress.country) is on the hold list"
        }
        if let limit = maxOrdersPerEmailPerHour, ordersFromEmailInLastHour > limit {
            return "\(ordersFromEmailInLastHour) orders from \(order.customer.email) within an hour (limit \(limit))"
        }
        return nil
    }
}

public struct HoldRulesError: Error, CustomStringConvertible, Equatable {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension DecodingError {
    /// What is wrong and where, in a sentence for a person editing the file.
    var plainDescription: String {
        switch self {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        @unknown default:
            return "\(self)"
        }
    }
}

/// `oms hold release ID`'s message to capture, on `oms.work` (routing key
/// `capture`): reserve the held order's stock and let it go on.
public struct HoldRelease: Sendable, Hashable, Codable {
    public var action = "release"
    public var orderID: String

    public init(orderID: String) {
        self.orderID = orderID
    }

    enum CodingKeys: String, CodingKey {
        case action
        case orderID = "order_id"
    }

    public func encoded() -> [UInt8] { OrderCoding.encodeValue(self) }

    public static func decode(_ bytes: [UInt8]) throws -> HoldRelease {
        let release = try OrderCoding.decodeValue(HoldRelease.self, from: bytes)
        guard release.action == "release" else {
            throw HoldRulesError("expected {\"action\": \"release\", \"order_id\": …}")
        }
        return release
    }
}
