import Foundation
import OMSDomain

/// What a shop's order payload becomes: an `order.place` body, checked
/// afterwards by `IntakeCheck` like any other order. Shops have already
/// taken the payment, so the order is `prepaid`.
struct ShopOrder {
    var id: String
    var channel: String
    var externalID: String?
    var placedAt: String?
    var currency: String?
    var customerName: String?
    var email: String?
    var address: [String: String]
    var lines: [[String: Any]]
    var shippingTitle: String?

    /// Problems a mapping finds before validation: what is not even an order.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// The keys a shop names an address's parts with, in the order of
    /// `line1`, `line2`, `city`, `region`, `postal_code`, `country`.
    static func address(_ fields: PayloadFields?, _ keys: [String]) -> [String: String] {
        var address: [String: String] = [:]
        for (part, key) in zip(["line1", "line2", "city", "region", "postal_code", "country"], keys) {
            address[part] = fields?.text(key)
        }
        return address
    }

    /// Line items by SKU; `nameKeys` in order of preference.
    static func lines(_ items: [PayloadFields], currency: String?, nameKeys: [String]) -> [[String: Any]] {
        items.map { item in
            var line: [String: Any] = ["sku": item.text("sku") ?? "", "quantity": item.integer("quantity") ?? 0,
                                       "unit_price": price(item.text("price"), currency: currency)]
            line["name"] = nameKeys.lazy.compactMap(item.text).first
            return line
        }
    }

    /// A line's price in minor units; the text as given when it is not a
    /// price, so that validation names the line.
    static func price(_ text: String?, currency: String?) -> Any {
        guard let text, let exponent = currency.flatMap(Currency.init(code:))?.exponent else { return text ?? NSNull() }
        return MinorUnits.parse(text, exponent: exponent) ?? text
    }

    /// The service a shipping line names; standard when it names none.
    static func service(_ title: String?) -> Order.Shipping.Service {
        let words = (title ?? "").lowercased()
        if words.contains("overnight") || words.contains("next day") { return .overnight }
        if words.contains("express") || words.contains("priority") { return .express }
        return .standard
    }

    func body() -> [UInt8] {
        var order: [String: Any] = [
            "id": id, "channel": channel,
            "customer": ["name": customerName ?? "", "email": email ?? ""],
            "shipping_address": address, "lines": lines,
            "shipping": ["service": Self.service(shippingTitle).rawValue],
            "payment": ["method": Order.Payment.Method.prepaid.rawValue],
        ]
        order["external_id"] = externalID
        order["placed_at"] = placedAt
        order["currency"] = currency
        let data = try? JSONSerialization.data(withJSONObject: order, options: [.sortedKeys, .withoutEscapingSlashes])
        return Array(data ?? Data())
    }
}
