/// `order.cancel`: stop an order that has not shipped.
public struct OrderCancel: Sendable, Hashable, Codable {
    public var orderID: String
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id"
        case reason
    }
}

/// `order.return`: a customer sends back some of what was shipped.
public struct OrderReturn: Sendable, Hashable, Codable {
    public var orderID: String
    public var reason: String?
    public var lines: [Line]

    public struct Line: Sendable, Hashable, Codable {
        public enum Condition: String, Sendable, Codable, CaseIterable { case sellable, damaged }
        public var sku: String
        public var quantity: Int
        public var condition: Condition

        public init(sku: String, quantity: Int, condition: Condition) {
            self.sku = sku
            self.quantity = quantity
            self.condition = condition
        }
    }

    public init(orderID: String, reason: String?, lines: [Line]) {
        self.orderID = orderID
        self.reason = reason
        self.lines = lines
    }

    /// The return authorisation number the return stage issues for an order:
    /// derived from the id, so a repeated request gets the same number and
    /// the returns portal can show it as soon as the request is confirmed.
    public static func authorization(for orderID: String) -> String {
        "RA-" + OrderCoding.contentHash(Array(orderID.utf8)).prefix(12).uppercased()
    }

    /// The `order.return` message body.
    public func encoded() -> [UInt8] {
        OrderCoding.encodeValue(self)
    }

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id"
        case reason, lines
    }
}

/// `shipment.delivered`: the carrier says the parcel arrived.
public struct ShipmentDelivered: Sendable, Hashable, Codable {
    public var orderID: String
    public var trackingNumber: String
    public var deliveredAt: String

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id"
        case trackingNumber = "tracking_number"
        case deliveredAt = "delivered_at"
    }
}

/// `stock.restocked`: goods arrived for a SKU. `restockID` makes a
/// redelivered restock count once.
public struct StockRestocked: Sendable, Hashable, Codable {
    public var sku: String
    public var quantity: Int
    public var restockID: String?
    /// Where the units arrived, for a SKU stocked per location.
    public var location: String?

    public init(sku: String, quantity: Int, restockID: String?, location: String? = nil) {
        self.sku = sku
        self.quantity = quantity
        self.restockID = restockID
        self.location = location
    }

    enum CodingKeys: String, CodingKey {
        case sku, quantity, location
        case restockID = "restock_id"
    }

    /// The `stock.restocked` message body.
    public func encoded() -> [UInt8] {
        OrderCoding.encodeValue(self)
    }
}
