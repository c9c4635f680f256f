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

/// An `order.<status>` event as a consumer reads it: the CloudEvents envelope
/// oms publishes (`StatusEvent`) and its data. The one type on both sides:
/// stages read their hand-offs with it, notify its emails.
public struct OrderEvent: Decodable, Sendable, Hashable {
    public var specversion: String
    public var id: String
    public var source: String
    public var type: String
    public var time: Date
    public var traceparent: String?
    public var data: OrderEventData

    public init(specversion: String = "1.0", id: String, source: String, type: String, time: Date,
                traceparent: String? = nil, data: OrderEventData) {
        self.specversion = specversion
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.traceparent = traceparent
        self.data = data
    }

    /// The order's number as the customer knows it: `external_id`, else the order id.
    public var orderNumber: String {
        if let externalID = data.externalID, !externalID.isEmpty { return externalID }
        return data.orderID
    }

    public static func decode(_ bytes: [UInt8]) throws -> OrderEvent {
        try OrderCoding.decode(bytes) { OrderEvent(reader: &$0) }
    }

    /// Reads an event and checks what a reader relies on beyond its JSON shape:
    /// a CloudEvents 1.0 envelope, a well-formed order id, a status that is the
    /// event's type (`cancel.refused` carries the status the order stays in). The error says what is wrong, with the field's path.
    public static func parse(_ bytes: [UInt8]) throws(EventProblem) -> OrderEvent {
        let event: OrderEvent
        do {
            event = try decode(bytes)
        } catch {
            throw EventProblem.unreadable(DecodingProblem.describe(error))
        }
        guard event.specversion == "1.0" else {
            throw .unreadable("specversion must be \"1.0\" (a CloudEvents 1.0 envelope)")
        }
        guard Order.isValidID(event.data.orderID) else {
            throw .unreadable("data.order_id must be 1 to 100 letters, digits or . _ : - starting with a letter or digit")
        }
        guard event.data.status.eventType == event.type || event.type == StatusEvent<OrderEventData>.cancelRefusedType
        else {
            throw .inconsistent(path: "data.status", problem: "is \(event.data.status.rawValue) but the event's type is "
                                + "\(event.type.prefix(100)); one of them is wrong")
        }
        return event
    }

    /// The envelope's `type` alone, for deciding whether to read the rest.
    public static func type(of bytes: [UInt8]) throws(EventProblem) -> String {
        struct Head: Decodable { var type: String? }
        let head: Head
        do {
            head = try OrderCoding.decodeValue(Head.self, from: bytes)
        } catch {
            throw .unreadable(DecodingProblem.describe(error))
        }
        guard let type = head.type, !type.isEmpty else {
            throw .unreadable("type is required (the routing key, order.<status>)")
        }
        return type
    }

    /// Why bytes are not a usable order event.
    public enum EventProblem: Error, Sendable, Hashable {
        /// Not the shape of a status event: what is wrong, with the field's path.
        case unreadable(String)
        /// Well formed, but two fields contradict each other.
        case inconsistent(path: String, problem: String)
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
    /// On order.shipped of an order split into parcels: each parcel, its lines and tracking.
    public var parcels: [ShippedParcel]?
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

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    public struct EventLine: Codable, Sendable, Hashable {
        public var sku: String
        public var quantity: Int
        /// The line's title (from the order, or the catalog at capture).
        public var name: String?

        public init(sku: String, quantity: Int, name: String? = nil) {
            self.sku = sku
            self.quantity = quantity
            self.name = name
        }
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
        case status, version, channel, reason, carrier, currency, customer, lines, order, parcels
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

/// One parcel of a split order on its way: listed in `order.shipped`, and
/// the data of its own `shipment.shipped`.
public struct ShippedParcel: Codable, Sendable, Hashable {
    public var number: Int
    /// Where it ships from.
    public var location: String
    public var lines: [OrderEventData.EventLine]
    public var carrier: String
    public var trackingNumber: String
    /// YYYY-MM-DD, the carrier's estimate.
    public var estimatedDelivery: String?

    public init(number: Int, location: String, lines: [OrderEventData.EventLine], carrier: String,
                trackingNumber: String, estimatedDelivery: String?) {
        self.number = number
        self.location = location
        self.lines = lines
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.estimatedDelivery = estimatedDelivery
    }

    enum CodingKeys: String, CodingKey {
        case number, location, lines, carrier
        case trackingNumber = "tracking_number"
        case estimatedDelivery = "estimated_delivery"
    }
}

extension ShippedParcel {
    /// The order hash's field ship writes them in.
    public static let field = "shipped_parcels"

    /// The parcels as an order's hash keeps them once shipped.
    public static func encode(_ parcels: [ShippedParcel]) -> String {
        String(decoding: OrderCoding.encodeValue(parcels), as: UTF8.self)
    }

    public static func decode(_ field: String) throws -> [ShippedParcel] {
        try OrderCoding.decodeValue([ShippedParcel].self, from: Array(field.utf8))
    }
}

/// The data of `shipment.shipped`: one parcel of a split order left its location.
public struct ShipmentShippedData: Encodable, Sendable, Hashable {
    public var orderID: String
    public var channel: String
    public var externalID: String?
    /// How many parcels the order ships in.
    public var parcelCount: Int
    public var parcel: ShippedParcel

    public init(order: Order, parcelCount: Int, parcel: ShippedParcel) {
        self.orderID = order.id
        self.channel = order.channel
        self.externalID = order.externalID
        self.parcelCount = parcelCount
        self.parcel = parcel
    }

    enum CodingKeys: String, CodingKey {
        case channel, parcel
        case orderID = "order_id"
        case externalID = "external_id"
        case parcelCount = "parcel_count"
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

extension StatusEvent where Payload == OrderEventData {
    /// Outside `order.*`, which is every status change and nothing else.
    public static let cancelRefusedType = "cancel.refused"

    /// A cancel the lifecycle no longer allows (the label is bought, the
    /// order has shipped…): the order stays as `data.status` at
    /// `data.version` says, and `data.reason` says why. Not a status change,
    /// so it hands nothing over; notify tells the customer.
    public static func cancelRefused(_ data: OrderEventData, stage: String, time: Date,
                                     traceparent: String?) -> StatusEvent<OrderEventData> {
        StatusEvent(id: "\(data.orderID):\(data.version):cancel.refused", stage: stage, type: cancelRefusedType,
                    time: time, subject: data.orderID, traceparent: traceparent, data: data)
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

extension StatusEvent where Payload == ShipmentShippedData {
    public static let shipmentShippedType = "shipment.shipped"

    public static func shipmentShipped(_ data: ShipmentShippedData, stage: String, time: Date,
                                       traceparent: String?) -> StatusEvent<ShipmentShippedData> {
        StatusEvent(id: "shipment.shipped:\(data.orderID):\(data.parcel.number)", stage: stage,
                    type: shipmentShippedType, time: time, subject: data.orderID, traceparent: traceparent, data: data)
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
