import OMSDomain

/// What a carrier asks for one service on one shipment.
public struct Rate: Sendable, Hashable, Codable {
    public var carrier: String
    public var service: Order.Shipping.Service
    /// In the carrier's currency (the rate table's `currency` for table-rate),
    /// which need not be the order's: this is what the shop pays.
    public var price: Money
    /// Working days from hand-over to delivery.
    public var transitDays: Int

    public init(carrier: String, service: Order.Shipping.Service, price: Money, transitDays: Int) {
        self.carrier = carrier
        self.service = service
        self.price = price
        self.transitDays = transitDays
    }

    enum CodingKeys: String, CodingKey {
        case carrier, service, price
        case transitDays = "transit_days"
    }
}
