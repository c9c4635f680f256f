import Foundation
import OMSDomain
import Testing

@Suite("Hold rules")
struct HoldRulesTests {
    /// web-100234: 2 × 12.50 + 8.99 = 33.99 USD to GB, from ada@example.com.
    static let order: Order = {
        guard case .place(let order) = try? IntakeMessage.decode(routingKey: "order.place",
                                                                 body: Array(IntakeValidationTests.validOrder.utf8))
        else { fatalError("the example order does not parse") }
        return order
    }()

    static func rules(_ json: String) throws -> HoldRules {
        try JSONDecoder().decode(HoldRules.self, from: Data(json.utf8))
    }

    @Test("no rules hold nothing")
    func none() {
        #expect(HoldRules.none.reason(toHold: Self.order, ordersFromEmailInLastHour: 100) == nil)
        #expect(!HoldRules.none.countsOrdersPerEmail)
    }

    @Test("a total above its currency's limit is held, at the limit it is not, other currencies are not limited")
    func totalLimit() throws {
        #expect(try Self.rules(#"{"max_total": {"USD": 3398}}"#).reason(toHold: Self.order, ordersFromEmailInLastHour: 1)
            == "order total 33.99 USD is above the hold limit 33.98 USD")
        #expect(try Self.rules(#"{"max_total": {"USD": 3399}}"#).reason(toHold: Self.order, ordersFromEmailInLastHour: 1) == nil)
        #expect(try Self.rules(#"{"max_total": {"GBP": 1}}"#).reason(toHold: Self.order, ordersFromEmailInLastHour: 1) == nil)
    }

    @Test("a listed shipping country is held")
    func countries() throws {
        #expect(try Self.rules(#"{"countries": ["GB"]}"#).reason(toHold: Self.order, ordersFromEmailInLastHour: 1)
            == "shipping country GB is on the hold list")
        #expect(try Self.rules(#"{"countries": ["FR"]}"#).reason(toHold: Self.order, ordersFromEmailInLastHour: 1) == nil)
    }

    @Test("more orders from one email within the hour than the limit are held")
    func velocity() throws {
        let rules = try Self.rules(#"{"max_orders_per_email_per_hour": 3}"#)
        #expect(rules.countsOrdersPerEmail)
        #expect(rules.reason(toHold: Self.order, ordersFromEmailInLastHour: 3) == nil)
        #expect(rules.reason(toHold: Self.order, ordersFromEmailInLastHour: 4)
            == "4 orders from ada@example.com within an hour (limit 3)")
    }

    @Test("a rules file with a mistake is refused, naming the field", arguments: [
        (#"{"max_total": {"usd": 100}}"#, "max_total"),
        (#"{"countries": ["UK"]}"#, "countries"),
        (#"{"max_orders_per_email_per_hour": 0}"#, "max_orders_per_email_per_hour"),
        (#"{"countries": "GB"}"#, "countries"),
    ])
    func mistakes(json: String, field: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("holds-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: HoldRulesError.self) { try HoldRules.read(path: path) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains(field) == true, "\(error?.description ?? "")")
        #expect(throws: HoldRulesError.self) { try HoldRules.read(path: path + ".missing") }
    }

    @Test("a hold release is JSON with its action, and nothing else reads as one")
    func release() throws {
        let bytes = HoldRelease(orderID: "web-1").encoded()
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"action":"release","order_id":"web-1"}"#)
        #expect(try HoldRelease.decode(bytes) == HoldRelease(orderID: "web-1"))
        #expect(throws: (any Error).self) { try HoldRelease.decode(Array(#"{"action":"pick","order_id":"x"}"#.utf8)) }
    }
}
