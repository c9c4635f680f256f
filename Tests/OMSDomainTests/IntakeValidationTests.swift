import Foundation
import OMSDomain
import Testing

@Suite("Intake validation")
struct IntakeValidationTests {
    static let validOrder = """
        { "id": "web-100234", "channel": "web", "external_id": "#100234",
          "placed_at": "2026-11-22T10:00:00Z", "currency": "USD",
          "customer": { "name": "Ada Lovelace", "email": "ada@example.com" },
          "shipping_address": { "line1": "12 Analytical St", "city": "London",
                                "postal_code": "N1 9GU", "country": "GB" },
          "lines": [ { "sku": "MUG-BLUE", "quantity": 2, "unit_price": 1250 },
                     { "sku": "TEA-EARL", "quantity": 1, "unit_price": 899 } ],
          "shipping": { "service": "standard" },
          "payment": { "method": "card", "token": "tok_visa" },
          "tags": ["gift"] }
        """

    /// The valid order with one field replaced (a JSON fragment) or removed (nil).
    static func order(_ path: [String], _ fragment: String?) -> [UInt8] {
        var json = try! JSONSerialization.jsonObject(with: Data(validOrder.utf8)) as! [String: Any]
        json = set(json, path[...], fragment.map { try! JSONSerialization.jsonObject(with: Data($0.utf8),
                                                                                      options: .fragmentsAllowed) })
        return Array(try! JSONSerialization.data(withJSONObject: json))
    }

    private static func set(_ object: [String: Any], _ path: ArraySlice<String>, _ value: Any?) -> [String: Any] {
        var object = object
        let key = path.first!
        if path.count == 1 {
            object[key] = value
        } else if let index = Int(path[path.startIndex + 1]), var array = object[key] as? [[String: Any]] {
            array[index] = set(array[index], path.dropFirst(2), value)
            object[key] = array
        } else {
            object[key] = set(object[key] as! [String: Any], path.dropFirst(), value)
        }
        return object
    }

    static func problems(_ body: [UInt8], key: String = "order.place") -> [String] {
        do {
            _ = try IntakeMessage.decode(routingKey: key, body: body)
            return []
        } catch {
            if case .invalid(let failure) = error { return failure.issues.map(\.description) }
            return [error.description]
        }
    }

    @Test("the DESIGN.md order is valid and keeps every field")
    func valid() throws {
        let message = try IntakeMessage.decode(routingKey: "order.place", body: Array(Self.validOrder.utf8))
        guard case .place(let order) = message else { Issue.record("not an order"); return }
        #expect(order.id == "web-100234")
        #expect(order.channel == "web")
        #expect(order.currency.code == "USD")
        #expect(order.lines.map(\.sku) == ["MUG-BLUE", "TEA-EARL"])
        #expect(order.tags == ["gift"])
        #expect(order.payment.token == "tok_visa")
        #expect(order.placedAt == Date(timeIntervalSince1970: 1_795_341_600))
        #expect(try order.total == Money(minorUnits: 3399, currency: order.currency))
    }

    static let brokenRules: [(path: [String], fragment: String?, message: String)] = [
        (["lines", "1", "quantity"], "0", "lines[1].quantity must be a positive integer (1 to 10000)"),
        (["lines", "0", "quantity"], "-3", "lines[0].quantity must be a positive integer (1 to 10000)"),
        (["lines", "0", "unit_price"], "12.5",
         "lines[0].unit_price must be a whole number of minor units (0 to 1000000000000)"),
        (["currency"], "\"XYZ\"", "currency 'XYZ' is not an ISO 4217 currency code"),
        (["customer", "name"], "\"Ada\\r\\nBcc: evil@example.com\"",
         "customer.name must not contain control characters (CR, LF, tab…)"),
        (["customer", "email"], "\"ada@example.com\\r\\nBcc: x@y.z\"",
         "customer.email must be an email address such as ada@example.com"),
        (["shipping_address", "country"], "\"XX\"",
         "shipping_address.country 'XX' is not an ISO 3166-1 alpha-2 country code"),
        (["id"], "\"web-{1}\"", "id must be 1 to 100 letters, digits or . _ : - starting with a letter or digit"),
        (["lines"], nil, "lines is required"),
        (["lines"], "[]", "lines must have 1 to 100 items"),
        (["placed_at"], "\"yesterday\"", "placed_at must be an RFC 3339 date-time such as 2026-11-22T10:00:00Z"),
        (["placed_at"], "\"2026-02-30T10:00:00Z\"",
         "placed_at must be an RFC 3339 date-time such as 2026-11-22T10:00:00Z"),
        (["payment", "token"], nil, "payment.token is required when payment.method is card"),
        (["payment", "method"], "\"cash\"", "payment.method must be one of card, prepaid"),
        (["shipping", "service"], "\"teleport\"", "shipping.service must be one of standard, express, overnight"),
        (["gift_wrap"], "true", "gift_wrap is not a known field"),
        (["lines", "1", "sku"], "\"MUG-BLUE\"", "lines[1].sku 'MUG-BLUE' appears in an earlier line"),
        (["tags"], "[\"gift\", \"gift\"]", "tags[1] 'gift' appears more than once"),
        ]

    @Test("each broken rule is named with its field path", arguments: brokenRules)
    func brokenRule(rule: (path: [String], fragment: String?, message: String)) {
        #expect(Self.problems(Self.order(rule.path, rule.fragment)) == [rule.message])
    }

    @Test("every problem is reported at once, not only the first")
    func allProblems() {
        let body = Array(#"{"id": "", "channel": "web", "lines": [{"sku": "A", "quantity": 0}]}"#.utf8)
        let problems = Self.problems(body)
        #expect(problems.contains("id must be 1 to 100 letters, digits or . _ : - starting with a letter or digit"))
        #expect(problems.contains("placed_at is required"))
        #expect(problems.contains("lines[0].quantity must be a positive integer (1 to 10000)"))
        #expect(problems.contains("lines[0].unit_price is required"))
        #expect(problems.count == 8)
    }

    @Test("1250.0 counts as a whole number, as in JSON Schema")
    func integralFloat() {
        #expect(Self.problems(Self.order(["lines", "0", "unit_price"], "1250.0")) == [])
    }

    @Test("bodies that are not JSON, too large, or on an unknown key say so")
    func envelopeErrors() {
        #expect(Self.problems(Array("{not json".utf8)) == ["message body is not valid JSON"])
        #expect(Self.problems([UInt8](repeating: 32, count: 2 << 20))
            == ["message body is 2097152 bytes; the limit is 1048576 bytes"])
        #expect(Self.problems(Array("{}".utf8), key: "order.teleport") == [
            "unknown routing key 'order.teleport'; oms.intake takes order.place, order.cancel, order.return, "
                + "shipment.delivered, stock.restocked",
        ])
    }

    @Test("the small commands validate too")
    func commands() throws {
        #expect(Self.problems(Array(#"{"order_id": "web-1", "reason": "changed mind"}"#.utf8), key: "order.cancel")
            == [])
        #expect(Self.problems(Array(#"{"sku": "MUG-BLUE", "quantity": 0}"#.utf8), key: "stock.restocked")
            == ["quantity must be a positive integer (1 to 10000)"])
        #expect(Self.problems(Array(#"{"order_id": "w-1", "lines": [{"sku": "A", "quantity": 1, "condition": "meh"}]}"#.utf8),
                              key: "order.return")
            == ["lines[0].condition must be one of sellable, damaged"])
        let restock = try IntakeMessage.decode(routingKey: "stock.restocked",
                                               body: Array(#"{"sku": "MUG-BLUE", "quantity": 40}"#.utf8))
        guard case .restocked(let command) = restock else { Issue.record("not a restock"); return }
        #expect(command.sku == "MUG-BLUE" && command.quantity == 40 && command.restockID == nil)
    }
}
