import OMSDomain

/// Where an order ships from and how fast: what `RoutingRules.route` decides.
public struct Route: Sendable, Hashable, Codable {
    /// A warehouse location from the rules file: "LON-1".
    public var location: String
    /// The country of that location (the rules file's `locations`): a shipment's origin.
    public var originCountry: String
    /// The order's requested service, or faster if a rule upgraded it.
    public var service: Order.Shipping.Service
    /// Index of the rule that decided, counting from 0; nil when none matched
    /// and the defaults apply.
    public var matchedRule: Int?

    public init(location: String, originCountry: String, service: Order.Shipping.Service, matchedRule: Int?) {
        self.location = location
        self.originCountry = originCountry
        self.service = service
        self.matchedRule = matchedRule
    }

    enum CodingKeys: String, CodingKey {
        case location, service
        case originCountry = "origin_country"
        case matchedRule = "matched_rule"
    }
}
