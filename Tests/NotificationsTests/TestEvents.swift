import Foundation
import Notifications
import OMSDomain
import Testing

/// Events made as production makes them: an `order.place` through the intake
/// validator, `OrderEventData.describe`, `StatusEvent.order(…).encoded()`.
enum TestEvents {
    static let time = RFC3339.parse("2026-11-22T10:00:00Z")!

    static func order(id: String = "web-100234", externalID: String? = "#100234", currency: String = "USD",
                      name: String = "Ada Lovelace", email: String = "ada@example.com") throws -> Order {
        let json = """
            { "id": "\(id)", "channel": "web", "placed_at": "2026-11-22T09:00:00Z",
              "currency": "\(currency)",
              "customer": { "name": "Ada Lovelace", "email": "ada@example.com" },
              "shipping_address": { "line1": "12 Analytical St", "city": "London", "country": "GB" },
              "lines": [ { "sku": "MUG-BLUE", "quantity": 2, "unit_price": 1250 },
                         { "sku": "TEA-EARL", "quantity": 1, "unit_price": 899 } ],
              "shipping": { "service": "standard" },
              "payment": { "method": "card", "token": "tok_visa" } }
            """
        guard case .place(var order) = try IntakeMessage.decode(routingKey: "order.place", body: Array(json.utf8))
        else { throw TestFailure("not an order.place") }
        // Set after intake, so that tests can give what intake would refuse (the worker must not trust it).
        order.customer.name = name
        order.externalID = externalID
        order.customer.email = email
        return order
    }

    /// The event's JSON, with what `status` adds for the email.
    static func event(_ status: OrderStatus, _ order: Order, version: Int = 4,
                      details: (inout OrderEventData) -> Void = { _ in }) -> [UInt8] {
        var data = OrderEventData(orderID: order.id, status: status, version: version, channel: order.channel)
        data.describe(order)
        switch status {
        case .shipped, .delivered:
            data.carrier = "table-rate"
            data.trackingNumber = "TR0012345678"
        case .cancelled: data.reason = "customer asked"
        case .backordered: data.reason = "MUG-BLUE: 2 wanted, 0 available"
        case .returnRequested:
            data.returnAuthorization = "RA-100234-1"
            data.reason = "too small"
        case .refunded: data.refundAmount = 1250
        default: break
        }
        details(&data)
        return StatusEvent.order(data, stage: "test", time: time, traceparent: nil).encoded()
    }

    static func event(_ status: OrderStatus, details: (inout OrderEventData) -> Void = { _ in }) throws -> [UInt8] {
        event(status, try order(), details: details)
    }

    /// The event that makes `kind`'s email: its status event, or for a
    /// refused cancel the event capture publishes about a shipped order.
    static func event(for kind: EmailKind, _ order: Order,
                      details: (inout OrderEventData) -> Void = { _ in }) -> [UInt8] {
        if let status = OrderStatus(rawValue: kind.rawValue) { return event(status, order, details: details) }
        var data = OrderEventData(orderID: order.id, status: .shipped, version: 5, channel: order.channel)
        data.describe(order)
        data.reason = "it has already shipped"
        details(&data)
        return StatusEvent.cancelRefused(data, stage: "test", time: time, traceparent: nil).encoded()
    }

    static func event(for kind: EmailKind) throws -> [UInt8] {
        event(for: kind, try order())
    }

    /// The JSON with a change that no encoder would make (a wrong type, a key removed…).
    static func edited(_ bytes: [UInt8], _ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        change(&object)
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func settings(replyTo: Bool = true) throws -> NotificationSettings {
        try NotificationSettings(
            from: Mailbox(address: "orders@shop.example", name: "Example Shop", addressPath: "from"),
            replyTo: replyTo ? Mailbox(address: "help@shop.example", name: "Example Shop Help") : nil,
            trackingLink: "https://track.example/{carrier}/{tracking_number}")
    }

    static func composer(overrides: [String: String] = [:]) throws -> EmailComposer {
        EmailComposer(templates: try EmailTemplates(overrides: overrides), settings: try settings())
    }

    /// The email an event makes; fails the test when it makes none.
    static func email(_ bytes: [UInt8], overrides: [String: String] = [:]) throws -> EmailMessage {
        switch try composer(overrides: overrides).compose(eventJSON: bytes) {
        case .send(let message): return message
        case .noEmail(let reason): throw TestFailure("no email: \(reason)")
        }
    }

    /// The error composing an event throws; fails the test when it throws none.
    static func error(_ bytes: [UInt8]) throws -> NotificationError {
        do {
            let outcome = try composer().compose(eventJSON: bytes)
            throw TestFailure("expected an error, got \(outcome)")
        } catch let error as NotificationError {
            return error
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
