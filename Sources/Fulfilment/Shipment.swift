import OMSDomain

/// One parcel to price and label: where from and to, how heavy, how fast, and
/// what it is worth (goods only, for insurance and customs).
public struct Shipment: Sendable, Hashable, Codable {
    public var orderID: String
    /// ISO 3166-1 alpha-2 of the warehouse it leaves from.
    public var originCountry: String
    /// ISO 3166-1 alpha-2 of the shipping address.
    public var destinationCountry: String
    /// The parcel's weight. Build it with `Order.shippingWeightGrams(defaultItemWeightGrams:)`;
    /// a carrier prices 0 as one item of its default weight.
    public var weightGrams: Int
    /// The service the order asks for (after routing, which may upgrade it).
    public var service: Order.Shipping.Service
    public var declaredValue: Money

    public init(orderID: String, originCountry: String, destinationCountry: String, weightGrams: Int,
                service: Order.Shipping.Service, declaredValue: Money) {
        self.orderID = orderID
        self.originCountry = originCountry
        self.destinationCountry = destinationCountry
        self.weightGrams = weightGrams
        self.service = service
        self.declaredValue = declaredValue
    }

    /// The whole order as one parcel, sent as `route` decided: from the route's
    /// location's country, with the route's service, worth the order's total.
    public init(order: Order, route: Route, defaultItemWeightGrams: Int) throws(Money.ArithmeticError) {
        self.init(orderID: order.id, originCountry: route.originCountry,
                  destinationCountry: order.shippingAddress.country,
                  weightGrams: order.shippingWeightGrams(defaultItemWeightGrams: defaultItemWeightGrams),
                  service: route.service, declaredValue: try order.total)
    }

    enum CodingKeys: String, CodingKey {
        case service
        case orderID = "order_id"
        case originCountry = "origin_country"
        case destinationCountry = "destination_country"
        case weightGrams = "weight_grams"
        case declaredValue = "declared_value"
    }
}
