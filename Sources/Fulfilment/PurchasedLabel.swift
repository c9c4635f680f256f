import OMSDomain

/// A label bought from a carrier: what the `order.shipped` event reports and
/// what the ship stage records as its effect marker, so it must round-trip
/// through JSON unchanged.
public struct PurchasedLabel: Sendable, Hashable, Codable {
    /// Matches the message schema's `^[A-Z0-9]{6,40}$`; a UPU S10 number for table-rate.
    public var trackingNumber: String
    public var carrier: String
    public var service: Order.Shipping.Service
    public var price: Money

    public init(trackingNumber: String, carrier: String, service: Order.Shipping.Service, price: Money) {
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.service = service
        self.price = price
    }

    enum CodingKeys: String, CodingKey {
        case carrier, service, price
        case trackingNumber = "tracking_number"
    }
}
