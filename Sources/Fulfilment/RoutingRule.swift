import OMSDomain

/// One rule of the routing rules file: conditions (all that are given must
/// hold; a rule with none matches every order) and what it sets.
public struct RoutingRule: Sendable, Hashable {
    /// A label for people reading the file and the logs.
    public var name: String?
    /// The order's channel is one of these.
    public var channels: Set<String>?
    /// The order has at least one of these tags.
    public var tagsAny: Set<String>?
    /// The shipping address's country is one of these.
    public var countries: Set<String>?
    /// The parcel weighs more than this many grams.
    public var weightOverGrams: Int?
    /// The parcel weighs less than this many grams.
    public var weightUnderGrams: Int?

    /// Ship from this location instead of the default one.
    public var location: String?
    /// Ship at least this fast: the order's requested service is upgraded to
    /// it, never downgraded (what the customer chose, and maybe paid for, is a
    /// promise; a faster service is the shop's own choice of cost).
    public var service: Order.Shipping.Service?

    public func matches(_ order: Order, weightGrams: Int) -> Bool {
        if let channels, !channels.contains(order.channel) { return false }
        if let tagsAny, !order.tags.contains(where: tagsAny.contains) { return false }
        if let countries, !countries.contains(order.shippingAddress.country) { return false }
        if let weightOverGrams, !(weightGrams > weightOverGrams) { return false }
        if let weightUnderGrams, !(weightGrams < weightUnderGrams) { return false }
        return true
    }
}
