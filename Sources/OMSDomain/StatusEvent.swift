import Foundation

/// A status change as a CloudEvents 1.0 event on `oms.events`, routing key =
/// `type` (`order.<status>`, `stock.low`). The id is derived from what the
/// event reports, so a redelivered step publishes the same id again and
/// consumers can recognise it.
public struct StatusEvent<Payload: Encodable & Sendable>: Encodable, Sendable {
    public let specversion = "1.0"
    public var id: String
    public var source: String
    public var type: String
    public var time: String
    public var subject: String
    public let datacontenttype = "application/json"
    public var traceparent: String?
    public var data: Payload

    public init(id: String, stage: String, type: String, time: Date, subject: String, traceparent: String?,
                data: Payload) {
        self.id = id
        self.source = "oms/\(stage)"
        self.type = type
        self.time = RFC3339.format(time)
        self.subject = subject
        self.traceparent = traceparent
        self.data = data
    }

    /// The event's JSON; the payloads oms publishes write themselves, others go through JSONEncoder.
    public func encoded() -> [UInt8] {
        guard let payload = data as? any JSONWritable else { return OrderCoding.encodeValue(self) }
        var writer = JSONWriter()
        write(data: payload, to: &writer)
        return writer.bytes
    }
}

/// An `order.<status>` event as a consumer reads it.
public struct OrderEvent: Decodable, Sendable {
    public var id: String
    public var type: String
    public var data: OrderEventData

    public static func decode(_ bytes: [UInt8]) throws -> OrderEvent {
        try OrderCoding.decode(bytes) { OrderEvent(reader: &$0) }
    }
}

/// The data of every `order.<status>` event: the status, and what it adds.
public struct OrderEventData: Codable, Sendable, Hashable {
    public var orderID: String
    public var status: OrderStatus
    public var version: Int
    public var channel: String
    public var previousStatus: OrderStatus?
    public var reason: String?
    public var trackingNumber: String?
    public var carrier: String?
    public var returnAuthorization: String?
    public var refundAmount: Int64?
    /// Who pays a refund back: "gateway" (oms, to the card) or "channel" (a
    /// prepaid marketplace order: the channel refunds its customer).
    public var refundBy: String?
    /// YYYY-MM-DD: the promised date on order.confirmed, the carrier's on order.shipped.
    public var estimatedDelivery: String?
    public var currency: String?
    public var externalID: String?
    public var customer: EventCustomer?
    public var lines: [EventLine]?
    /// The whole order, on the events that hand it to the next stage
    /// (`Handoff.Action.isHandingOver`), so that stage need not read Redis.
    public var order: Order?

    public struct EventCustomer: Codable, Sendable, Hashable {
        public var name: String
        public var email: String
    }

    public struct EventLine: Codable, Sendable, Hashable {
        public var sku: String
        public var quantity: Int
        /// The line's title (from the order, or the catalog at capture).
        public var name: String?
    }

    public init(orderID: String, status: OrderStatus, version: Int, channel: String,
                previousStatus: OrderStatus? = nil) {
        self.orderID = orderID
        self.status = status
        self.version = version
        self.channel = channel
        self.previousStatus = previousStatus
    }

    /// Fills in who and what the order is about, for the customer's email.
    public mutating func describe(_ order: Order) {
        externalID = order.externalID
        currency = order.currency.code
        customer = EventCustomer(name: order.customer.name, email: order.customer.email)
        lines = order.lines.map { EventLine(sku: $0.sku, quantity: $0.quantity, name: $0.name) }
    }

    enum CodingKeys: String, CodingKey {
        case status, version, channel, reason, carrier, currency, customer, lines, order
        case orderID = "order_id"
        case previousStatus = "previous_status"
        case trackingNumber = "tracking_number"
        case returnAuthorization = "return_authorization"
        case refundAmount = "refund_amount"
        case estimatedDelivery = "estimated_delivery"
        case refundBy = "refund_by"
        case externalID = "external_id"
    }
}

/// The data of `refund.owed`: a returned prepaid order whose money the channel
/// collected, so the channel, not oms, must pay the customer back.
public struct RefundOwedData: Encodable, Sendable, Hashable {
    public var orderID: String
    public var channel: String
    public var externalID: String?
    public var amount: Int64
    public var currency: String

    public init(orderID: String, channel: String, externalID: String?, amount: Money) {
        self.orderID = orderID
        self.channel = channel
        self.externalID = externalID
        self.amount = amount.minorUnits
        self.currency = amount.currency.code
    }

    enum CodingKeys: String, CodingKey {
        case channel, amount, currency
        case orderID = "order_id"
        case externalID = "external_id"
    }
}

/// The data of `stock.low`: a SKU fell to or below its reorder point.
public struct StockLowData: Encodable, Sendable, Hashable {
    public var sku: String
    public var available: Int
    public var reorderPoint: Int

    public init(sku: String, available: Int, reorderPoint: Int) {
        self.sku = sku
        self.available = available
        self.reorderPoint = reorderPoint
    }

    enum CodingKeys: String, CodingKey {
        case sku, available
        case reorderPoint = "reorder_point"
    }
}

extension StatusEvent where Payload == OrderEventData {
    public static func order(_ data: OrderEventData, stage: String, time: Date,
                             traceparent: String?) -> StatusEvent<OrderEventData> {
        StatusEvent(id: "\(data.orderID):\(data.version):\(data.status.rawValue)", stage: stage,
                    type: data.status.eventType, time: time, subject: data.orderID, traceparent: traceparent,
                    data: data)
    }
}

extension StatusEvent where Payload == RefundOwedData {
    public static let refundOwedType = "refund.owed"

    public static func refundOwed(_ data: RefundOwedData, stage: String, time: Date,
                                  traceparent: String?) -> StatusEvent<RefundOwedData> {
        StatusEvent(id: "refund.owed:\(data.orderID)", stage: stage, type: refundOwedType, time: time,
                    subject: data.orderID, traceparent: traceparent, data: data)
    }
}

extension StatusEvent where Payload == StockLowData {
    public static let stockLowType = "stock.low"

    public static func stockLow(_ data: StockLowData, stage: String, time: Date,
                                traceparent: String?) -> StatusEvent<StockLowData> {
        StatusEvent(id: "stock.low:\(data.sku):\(data.available)", stage: stage, type: stockLowType, time: time,
                    subject: data.sku, traceparent: traceparent, data: data)
    }
}
