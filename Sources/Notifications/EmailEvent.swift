import Foundation
import OMSDomain

/// An `order.<status>` status event as published on `oms.events` (a
/// CloudEvents 1.0 JSON envelope around `OrderEventData`, see
/// `OMSDomain.StatusEvent`), read for the customer's email.
///
/// Parsing checks the shape (types, the envelope, a known status matching the
/// type, an RFC 3339 time, a well-formed order id); it does not check whether
/// the texts can go into headers: `EmailComposer` does that for the values an
/// email uses. Fields not listed here are ignored, so the event may grow.
public struct EmailEvent: Sendable, Hashable {
    public var id: String
    public var source: String
    public var type: String
    public var time: Date
    public var traceparent: String?

    public var orderID: String
    public var status: OrderStatus
    public var version: Int
    public var channel: String
    public var previousStatus: OrderStatus?
    public var reason: String?
    public var trackingNumber: String?
    public var carrier: String?
    public var returnAuthorization: String?
    /// In minor units of `currency`.
    public var refundAmount: Int64?
    /// YYYY-MM-DD: promised at confirmation, the carrier's at shipping.
    public var estimatedDelivery: String?
    /// On refunded: "gateway" (oms paid it back) or "channel" (the channel that collected a prepaid order will).
    public var refundBy: String?
    public var currency: String?
    public var externalID: String?
    public var customer: Customer?
    public var lines: [Line]

    public struct Customer: Sendable, Hashable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    public struct Line: Sendable, Hashable {
        public var sku: String
        public var quantity: Int
        /// The product's title, when the order or the catalog has one.
        public var title: String?

        public init(sku: String, quantity: Int, title: String? = nil) {
            self.sku = sku
            self.quantity = quantity
            self.title = title
        }
    }

    public init(id: String, source: String, type: String, time: Date, traceparent: String? = nil,
                orderID: String, status: OrderStatus, version: Int, channel: String,
                previousStatus: OrderStatus? = nil, reason: String? = nil, trackingNumber: String? = nil,
                carrier: String? = nil, returnAuthorization: String? = nil, refundAmount: Int64? = nil,
                currency: String? = nil, externalID: String? = nil, customer: Customer? = nil, lines: [Line] = []) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.traceparent = traceparent
        self.orderID = orderID
        self.status = status
        self.version = version
        self.channel = channel
        self.previousStatus = previousStatus
        self.reason = reason
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.returnAuthorization = returnAuthorization
        self.refundAmount = refundAmount
        self.currency = currency
        self.externalID = externalID
        self.customer = customer
        self.lines = lines
    }

    /// The order's number as the customer knows it: `external_id`, else the order id.
    public var orderNumber: String {
        if let externalID, !externalID.isEmpty { return externalID }
        return orderID
    }

    /// The envelope's `type` alone, for deciding whether to read the rest.
    public static func type(of bytes: [UInt8]) throws(NotificationError) -> String {
        let head: Head
        do {
            head = try JSONDecoder().decode(Head.self, from: Data(bytes))
        } catch {
            throw .malformedEvent(Self.describe(error))
        }
        guard let type = head.type, !type.isEmpty else {
            throw .malformedEvent("type is required (the routing key, order.<status>)")
        }
        return type
    }

    /// Reads a whole order status event.
    public static func parse(_ bytes: [UInt8]) throws(NotificationError) -> EmailEvent {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(bytes))
        } catch {
            throw .malformedEvent(Self.describe(error))
        }
        return try EmailEvent(envelope)
    }

    private init(_ envelope: Envelope) throws(NotificationError) {
        guard envelope.specversion == "1.0" else {
            throw .malformedEvent("specversion must be \"1.0\" (a CloudEvents 1.0 envelope)")
        }
        func required<T>(_ value: T?, _ path: String) throws(NotificationError) -> T {
            guard let value else { throw .malformedEvent("\(path) is required") }
            return value
        }
        id = try required(envelope.id, "id")
        source = try required(envelope.source, "source")
        type = try required(envelope.type, "type")
        let timeText = try required(envelope.time, "time")
        guard let time = RFC3339.parse(timeText) else {
            throw .malformedEvent("time must be an RFC 3339 date-time such as 2026-11-22T10:00:00Z")
        }
        self.time = time
        traceparent = envelope.traceparent
        let data = try required(envelope.data, "data")

        let orderID = try required(data.order_id, "data.order_id")
        guard Self.isOrderID(orderID) else {
            throw .malformedEvent("data.order_id must be 1 to 100 letters, digits or . _ : - starting with a "
                                  + "letter or digit")
        }
        self.orderID = orderID
        let statusText = try required(data.status, "data.status")
        guard let status = OrderStatus(rawValue: statusText) else {
            throw .malformedEvent("data.status '\(statusText.prefix(40))' is not an order status")
        }
        guard status.eventType == type else {
            throw .inconsistent(path: "data.status", problem: "is \(status.rawValue) but the event's type is "
                                + "\(type.prefix(100)); one of them is wrong")
        }
        self.status = status
        version = try required(data.version, "data.version")
        channel = try required(data.channel, "data.channel")
        if let previous = data.previous_status {
            guard let previousStatus = OrderStatus(rawValue: previous) else {
                throw .malformedEvent("data.previous_status '\(previous.prefix(40))' is not an order status")
            }
            self.previousStatus = previousStatus
        }
        reason = data.reason
        trackingNumber = data.tracking_number
        carrier = data.carrier
        returnAuthorization = data.return_authorization
        refundAmount = data.refund_amount
        estimatedDelivery = data.estimated_delivery
        refundBy = data.refund_by
        currency = data.currency
        externalID = data.external_id
        if let customer = data.customer {
            self.customer = Customer(name: customer.name ?? "",
                                     email: try required(customer.email, "data.customer.email"))
        }
        var lines: [Line] = []
        for (index, line) in (data.lines ?? []).enumerated() {
            lines.append(Line(sku: try required(line.sku, "data.lines[\(index)].sku"),
                              quantity: try required(line.quantity, "data.lines[\(index)].quantity"),
                              title: line.name))
        }
        self.lines = lines
    }

    private static func isOrderID(_ text: String) -> Bool {
        let alnum = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".unicodeScalars)
        let rest = alnum.union("._:-".unicodeScalars)
        guard let first = text.unicodeScalars.first, alnum.contains(first), text.unicodeScalars.count <= 100 else {
            return false
        }
        return text.unicodeScalars.allSatisfy(rest.contains)
    }

    /// A decoding error in words, with the field's path.
    private static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error as? DecodingError {
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "the body is not a JSON object"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(Self.kind(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(Self.kind(type)), not null"
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return "\(path(context.codingPath)) is not valid"
        case .dataCorrupted, .none:
            return "the body is not a JSON object"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        @unknown default:
            return "the body cannot be read"
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }

    // The JSON as published; every field optional, so that a missing one is reported by name.
    private struct Head: Decodable {
        var type: String?
    }

    private struct Envelope: Decodable {
        var specversion: String?
        var id: String?
        var source: String?
        var type: String?
        var time: String?
        var traceparent: String?
        var data: Payload?
    }

    private struct Payload: Decodable {
        var order_id: String?
        var status: String?
        var version: Int?
        var channel: String?
        var previous_status: String?
        var reason: String?
        var tracking_number: String?
        var carrier: String?
        var return_authorization: String?
        var refund_amount: Int64?
        var estimated_delivery: String?
        var refund_by: String?
        var currency: String?
        var external_id: String?
        var customer: PayloadCustomer?
        var lines: [PayloadLine]?
    }

    private struct PayloadCustomer: Decodable {
        var name: String?
        var email: String?
    }

    private struct PayloadLine: Decodable {
        var sku: String?
        var quantity: Int?
        var name: String?
    }
}
