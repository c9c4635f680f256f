import Foundation
import OMSDomain

/// A made-up event with every field filled in, to try templates out when
/// they are loaded.
enum SampleEvent {
    static func context(_ kind: EmailKind) -> [String: Any] {
        // A refused cancel is sent about an order that stays as it is: shipped here.
        let status = OrderStatus(rawValue: kind.rawValue) ?? .shipped
        var data = OrderEventData(orderID: "web-100234", status: status, version: 3, channel: "web")
        data.reason = "customer asked"
        data.trackingNumber = "TR1234567890"
        data.carrier = "table-rate"
        data.returnAuthorization = "RA-100234-1"
        data.refundAmount = 1250
        data.currency = "USD"
        data.externalID = "#100234"
        data.customer = .init(name: "Ada Lovelace", email: "ada@example.com")
        data.lines = [.init(sku: "MUG-BLUE", quantity: 2)]
        let event = OrderEvent(id: "sample", source: "oms/sample", type: kind.eventType,
                               time: Date(timeIntervalSince1970: 1_795_341_600), data: data)
        return TemplateContext.make(event, customer: customer,
                                    refund: Money(minorUnits: 1250, currency: Currency(code: "USD")!),
                                    settings: settings)
    }

    private static let customer = try! Mailbox(address: "ada@example.com", name: "Ada Lovelace")
    private static let settings = try! NotificationSettings(
        from: try! Mailbox(address: "orders@example.com", name: "Example Shop"))
}
