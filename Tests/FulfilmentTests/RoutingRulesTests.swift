import Foundation
import Fulfilment
import OMSDomain
import Testing

@Suite("Routing rules")
struct RoutingRulesTests {
    static let exampleFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/routing-rules.example.json")

    static func example() throws -> RoutingRules {
        try RoutingRules.decode(from: [UInt8](Data(contentsOf: exampleFile)))
    }

    static func problem(_ json: String) -> String? {
        do {
            _ = try RoutingRules.decode(from: Array(json.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a location given as its address: the country routes, the address is the labels' sender")
    func locationAddress() throws {
        let rules = try RoutingRules.decode(from: Array(#"""
            { "default_location": "LON-1", "locations": {
                "LON-1": { "country": "GB", "name": "oms Fulfilment London", "lines": ["Unit 4, Riverside Park"],
                           "city": "London", "postal_code": "E16 2AB" },
                "NYC-1": "US" } }
            """#.utf8))
        #expect(rules.locations == ["LON-1": "GB", "NYC-1": "US"])
        #expect(rules.addresses == ["LON-1": PostalAddress(name: "oms Fulfilment London",
                                                            lines: ["Unit 4, Riverside Park"], city: "London",
                                                            postalCode: "E16 2AB", country: "GB")])
        #expect(Self.problem(#"{"default_location": "A", "locations": {"A": {"country": "GB", "name": "A"}}}"#)?
            .contains("locations.A.lines") == true)
        #expect(Self.problem(#"{"default_location": "A", "locations": {"A": {"country": "UK", "name": "A", "lines": ["1"], "city": "X"}}}"#)?
            .contains("'UK' is not an ISO 3166-1 alpha-2 country code") == true)
    }

    @Test("without a rules file every order ships from MAIN in GB with the service it asked for")
    func defaults() throws {
        let order = try TestOrders.order(country: "US", service: "express")
        let route = RoutingRules.default.route(order, weightGrams: 50_000)
        #expect(route == Route(location: "MAIN", originCountry: "GB", service: .express, matchedRule: nil))
    }

    @Test("the example file: each rule routes the orders it describes")
    func exampleRules() throws {
        let rules = try Self.example()
        let heavy = try TestOrders.order(country: "DE")
        #expect(rules.route(heavy, weightGrams: 20_001)
            == Route(location: "BULK", originCountry: "GB", service: .standard, matchedRule: 0))
        let marketplaceUS = try TestOrders.order(channel: "marketplace", country: "US", tags: ["gift", "express"])
        #expect(rules.route(marketplaceUS, weightGrams: 800)
            == Route(location: "NYC-1", originCountry: "US", service: .overnight, matchedRule: 1))
        let marketplaceDE = try TestOrders.order(channel: "marketplace", country: "DE", tags: ["express"])
        #expect(rules.route(marketplaceDE, weightGrams: 800)
            == Route(location: "LON-1", originCountry: "GB", service: .overnight, matchedRule: 2))
        let webUS = try TestOrders.order(country: "US")
        #expect(rules.route(webUS, weightGrams: 800)
            == Route(location: "NYC-1", originCountry: "US", service: .standard, matchedRule: 3))
        let webGB = try TestOrders.order(country: "GB", service: "express")
        #expect(rules.route(webGB, weightGrams: 800)
            == Route(location: "LON-1", originCountry: "GB", service: .express, matchedRule: nil))
    }

    @Test("stock is looked for at a rule's location first, then in the destination's country, then the default, then the rest")
    func locationsByPreference() throws {
        let rules = try Self.example()
        let heavyUS = try TestOrders.order(country: "US")
        #expect(rules.locationsByPreference(for: heavyUS, weightGrams: 20_001) == ["BULK", "NYC-1", "LON-1"])
        let webUS = try TestOrders.order(country: "US")
        #expect(rules.locationsByPreference(for: webUS, weightGrams: 800) == ["NYC-1", "LON-1", "BULK"])
        let webGB = try TestOrders.order(country: "GB")
        #expect(rules.locationsByPreference(for: webGB, weightGrams: 800) == ["BULK", "LON-1", "NYC-1"],
                "both GB locations first, by name")
        let webFR = try TestOrders.order(country: "FR")
        #expect(rules.locationsByPreference(for: webFR, weightGrams: 800) == ["LON-1", "BULK", "NYC-1"])
        #expect(RoutingRules.default.locationsByPreference(for: webFR, weightGrams: 800) == ["MAIN"])
    }

    @Test("where the stock is held, the order ships from, whatever the rules say; the rules still set the service")
    func stockLocationOverridesTheRules() throws {
        let rules = try Self.example()
        let marketplaceUS = try TestOrders.order(channel: "marketplace", country: "US", tags: ["express"])
        #expect(rules.route(marketplaceUS, weightGrams: 800, stockLocation: "LON-1")
            == Route(location: "LON-1", originCountry: "GB", service: .overnight, matchedRule: 1))
    }

    @Test("the first matching rule decides and later rules are not looked at")
    func firstMatchWins() throws {
        let rules = try Self.example()
        // Heavy, marketplace, express-tagged, to the US: rule 0 (BULK) wins; rules 1 to 3 would also match.
        let order = try TestOrders.order(channel: "marketplace", country: "US", tags: ["express"])
        #expect(rules.route(order, weightGrams: 25_000)
            == Route(location: "BULK", originCountry: "GB", service: .standard, matchedRule: 0))
    }

    @Test("weights are compared strictly: exactly 20 kg is not over 20 kg")
    func strictWeights() throws {
        let rules = try Self.example()
        #expect(rules.route(try TestOrders.order(country: "GB"), weightGrams: 20_000).matchedRule == nil)
        let light = try RoutingRules.decode(from: Array("""
            { "default_location": "A", "locations": { "A": "GB", "B": "GB" },
              "rules": [ { "when": { "weight_under_grams": 100 }, "then": { "location": "B" } } ] }
            """.utf8))
        #expect(light.route(try TestOrders.order(), weightGrams: 99).location == "B")
        #expect(light.route(try TestOrders.order(), weightGrams: 100).location == "A")
    }

    @Test("a rule only upgrades the service: an overnight order stays overnight under an express rule")
    func upgradeOnly() throws {
        let rules = try RoutingRules.decode(from: Array("""
            { "default_location": "MAIN", "locations": { "MAIN": "GB" },
              "rules": [ { "name": "everything at least express", "then": { "service": "express" } } ] }
            """.utf8))
        #expect(rules.route(try TestOrders.order(service: "standard"), weightGrams: 1).service == .express)
        #expect(rules.route(try TestOrders.order(service: "overnight"), weightGrams: 1).service == .overnight)
        #expect(rules.rules[0].name == "everything at least express")
    }

    static let base = #"{ "default_location": "LON-1", "locations": { "LON-1": "GB", "NYC-1": "US" }, "rules": [ "#
        + #"{ "when": { "countries": ["US"] }, "then": { "location": "NYC-1" } }, "#

    @Test("mistakes are refused naming the rule index and field", arguments: [
        (base + #"{ "then": { "location": "NYC-2" } } ] }"#,
         "routing rules: rules[1].then.location 'NYC-2' is not in locations (LON-1, NYC-1)"),
        (base + #"{ "when": { "countries": ["US", "XX"] }, "then": { "location": "NYC-1" } } ] }"#,
         "routing rules: rules[1].when.countries[1] 'XX' is not an ISO 3166-1 alpha-2 country code"),
        (base + #"{ "when": { "tag_any": ["express"] }, "then": { "service": "overnight" } } ] }"#,
         "routing rules: rules[1].when.tag_any is not a known field; expected one of "
             + "channels, countries, tags_any, weight_over_grams, weight_under_grams"),
        (base + #"{ "when": { "channels": ["Marketplace"] }, "then": { "service": "overnight" } } ] }"#,
         "routing rules: rules[1].when.channels[0] 'Marketplace' can never match: channels and tags are "
             + "1 to 50 lowercase letters, digits, _ or - starting with a letter or digit"),
        (base + #"{ "when": { "tags_any": [] }, "then": { "service": "overnight" } } ] }"#,
         "routing rules: rules[1].when.tags_any must not be empty"),
        (base + #"{ "then": { "service": "standard" } } ] }"#,
         "routing rules: rules[1].then.service 'standard' would never change a route: rules only upgrade "
             + "the requested service (standard < express < overnight)"),
        (base + #"{ "then": { "service": "fast" } } ] }"#,
         "routing rules: rules[1].then.service must be one of standard, express, overnight, not 'fast'"),
        (base + #"{ "when": { "channels": ["web"] } } ] }"#, "routing rules: rules[1].then is required"),
        (base + #"{ "when": { "channels": ["web"] }, "then": {} } ] }"#,
         "routing rules: rules[1].then must set location, service or both"),
        (base + #"{ "when": { "weight_over_grams": 5000, "weight_under_grams": 2000 }, "then": { "location": "NYC-1" } } ] }"#,
         "routing rules: rules[1].when can never match: no whole weight is over 5000 g and under 2000 g"),
        (base + #"{ "when": { "weight_over_grams": -1 }, "then": { "location": "NYC-1" } } ] }"#,
         "routing rules: rules[1].when.weight_over_grams must be a whole number of grams (0 to 10000000)"),
        (#"{ "default_location": "MAIN", "locations": { "LON-1": "GB" } }"#,
         "routing rules: default_location 'MAIN' is not in locations (LON-1)"),
        (#"{ "default_location": "MAIN", "locations": { "MAIN": "UK" } }"#,
         "routing rules: locations.MAIN 'UK' is not an ISO 3166-1 alpha-2 country code"),
        (#"{ "default_location": "MAIN" }"#, "routing rules: locations is required"),
        (#"{ "default_location": "MAIN", "locations": { "MAIN": "GB" }, "rules": {} }"#,
         "routing rules: rules must be an array"),
        (#"{ "default_location": "MAIN", "locations": { "MAIN": "GB" }, "rule": [] }"#,
         "routing rules: rule is not a known field; expected one of default_location, locations, rules"),
        ("rules:", "routing rules: the file is not valid JSON"),
    ])
    func refused(json: String, expected: String) {
        #expect(Self.problem(json) == expected)
    }

    @Test("a file without rules routes everything to its default location")
    func noRules() throws {
        let rules = try RoutingRules.decode(from: Array(#"{ "default_location": "DUB-1", "locations": { "DUB-1": "IE" } }"#.utf8))
        #expect(rules.route(try TestOrders.order(), weightGrams: 1)
            == Route(location: "DUB-1", originCountry: "IE", service: .standard, matchedRule: nil))
    }

    @Test("a route and its shipment: origin from the location's country, weight with the default per item")
    func shipmentFromRoute() throws {
        let order = try TestOrders.order(id: "web-7", country: "US", lines: [TestOrders.mug, TestOrders.tea])
        let weight = order.shippingWeightGrams(defaultItemWeightGrams: 500)
        #expect(weight == 1300)  // 2 × 400 g + 1 × 500 g (no weight given)
        let route = try Self.example().route(order, weightGrams: weight)
        let shipment = try Shipment(order: order, route: route, defaultItemWeightGrams: 500)
        #expect(shipment == Shipment(orderID: "web-7", originCountry: "US", destinationCountry: "US", weightGrams: 1300,
                                     service: .standard,
                                     declaredValue: Money(minorUnits: 3399, currency: Currency(code: "USD")!)))
    }
}
