import OMSDomain

/// Which warehouse location an order ships from and with which service,
/// decided by rules tried in order: the first rule whose conditions all hold
/// decides, and no later rule is looked at. A rule sets the location, the
/// service, or both; what it leaves unset keeps the default (the default
/// location, the order's requested service). Rules only ever upgrade the
/// service. The file format is in config/README.md, an example in
/// config/routing-rules.example.json.
public struct RoutingRules: Sendable, Hashable {
    /// Where orders ship from when no rule sets a location.
    public let defaultLocation: String
    /// Every location → the ISO 3166-1 alpha-2 country it is in (a shipment's
    /// origin, and whether customs applies).
    public let locations: [String: String]
    /// The locations whose address the file gives: the sender on their labels.
    public let addresses: [String: PostalAddress]
    public let rules: [RoutingRule]

    init(defaultLocation: String, locations: [String: String], addresses: [String: PostalAddress] = [:],
         rules: [RoutingRule]) {
        self.defaultLocation = defaultLocation
        self.locations = locations
        self.addresses = addresses
        self.rules = rules
    }

    /// What applies when there is no rules file: everything ships from "MAIN",
    /// in GB, with the service the order asks for.
    public static let `default` = RoutingRules(defaultLocation: "MAIN", locations: ["MAIN": "GB"], rules: [])

    /// The route of `order`, whose parcel weighs `weightGrams`
    /// (`order.shippingWeightGrams(defaultItemWeightGrams:)`). `stockLocation`,
    /// where the order's stock is held (`Reservation.reserved`), is where it
    /// ships from whatever the rules say; they still decide the service.
    public func route(_ order: Order, weightGrams: Int, stockLocation: String? = nil) -> Route {
        let requested = order.shipping.service
        guard let index = rules.firstIndex(where: { $0.matches(order, weightGrams: weightGrams) }) else {
            return route(location: stockLocation ?? defaultLocation, service: requested, matchedRule: nil)
        }
        let rule = rules[index]
        return route(location: stockLocation ?? rule.location ?? defaultLocation,
                     service: rule.service.map(requested.atLeast) ?? requested, matchedRule: index)
    }

    /// Every location, in the order an order's stock is looked for: the one
    /// a matching rule names, then those in the destination's country, then
    /// the default location, then the rest by name. Stock per location is
    /// reserved at the first that has every line (`InventoryStore.reserve`).
    public func locationsByPreference(for order: Order, weightGrams: Int) -> [String] {
        let ruled = rules.first { $0.matches(order, weightGrams: weightGrams) }?.location
        let destination = order.shippingAddress.country
        let local = locations.filter { $0.value == destination }.keys.sorted()
        var ordered: [String] = []
        for location in [ruled].compactMap({ $0 }) + local + [defaultLocation] + locations.keys.sorted()
        where !ordered.contains(location) {
            ordered.append(location)
        }
        return ordered
    }

    private func route(location: String, service: Order.Shipping.Service, matchedRule: Int?) -> Route {
        // `decode` refuses a location without a country, so the fallback is never used.
        Route(location: location, originCountry: locations[location] ?? "GB", service: service,
              matchedRule: matchedRule)
    }
}
