import Foundation
import Notifications
import OMSDomain
import Testing

@Suite("Which events send an email")
struct EventDecisionTests {
    static let emailed: [OrderStatus: EmailKind] = [
        .confirmed: .confirmed, .backordered: .backordered, .shipped: .shipped, .delivered: .delivered,
        .cancelled: .cancelled, .returnRequested: .returnRequested, .refunded: .refunded,
    ]

    @Test("every status is decided: confirmed, backordered, shipped, delivered, cancelled, return_requested, refunded email",
          arguments: OrderStatus.allCases)
    func everyStatus(status: OrderStatus) {
        let decision = EmailKind.decision(forEventType: status.eventType)
        if let kind = Self.emailed[status] {
            #expect(decision == .email(kind))
            #expect(kind.eventType == status.eventType)
        } else if status == .rejected {
            #expect(decision == .noEmail(.rejectedOrder))
        } else {
            #expect(decision == .noEmail(.notForCustomers(status.eventType)))
        }
    }

    @Test("a cancel that came too late is emailed with its reason, and a reason is required")
    func cancelRefused() throws {
        #expect(EmailKind.decision(forEventType: "cancel.refused") == .email(.cancelRefused))
        let composer = try TestEvents.composer()
        guard case .send(let email) = try composer.compose(eventJSON: try TestEvents.event(for: .cancelRefused)) else {
            Issue.record("no email for cancel.refused")
            return
        }
        #expect(email.eventType == "cancel.refused")
        #expect(email.text.contains("Why: it has already shipped."))
        let withoutReason = try TestEvents.event(for: .cancelRefused, TestEvents.order()) { $0.reason = nil }
        #expect(throws: NotificationError.self) { try composer.compose(eventJSON: withoutReason) }
    }

    @Test("received, paid, picked and returned events make no email", arguments: [
        OrderStatus.received, .paid, .picked, .returned,
    ])
    func internalSteps(status: OrderStatus) throws {
        let outcome = try TestEvents.composer().compose(eventJSON: try TestEvents.event(status))
        #expect(outcome == .noEmail(.notForCustomers(status.eventType)))
    }

    @Test("a rejected order gets no email, whatever its data holds")
    func rejected() throws {
        let composer = try TestEvents.composer()
        let event = try TestEvents.event(.rejected) { $0.reason = "lines[0].sku must be …" }
        #expect(try composer.compose(eventJSON: event) == .noEmail(.rejectedOrder))
        // Even with a customer that could never be emailed.
        let bad = try TestEvents.event(.rejected, TestEvents.order(name: "Eve\r\nBcc: x@evil.example"))
        #expect(try composer.compose(eventJSON: bad) == .noEmail(.rejectedOrder))
    }

    @Test("events of unknown type make no email and are no error", arguments: [
        "stock.low", "order.teleported", "invoice.created", "order.", "ORDER.SHIPPED",
    ])
    func unknownType(type: String) throws {
        let event = try TestEvents.edited(try TestEvents.event(.shipped)) { $0["type"] = type; $0["data"] = ["x": 1] }
        #expect(try TestEvents.composer().compose(eventJSON: event) == .noEmail(.unknownType(type)))
    }

    @Test("a body that is no status event is an error saying what is wrong")
    func malformed() throws {
        #expect(try TestEvents.error(Array("not json".utf8)).description == "not a status event: the body is not a JSON object")
        #expect(try TestEvents.error(Array("[1]".utf8)).description == "not a status event: the body is not a JSON object")
        #expect(try TestEvents.error(Array("{}".utf8)).description
                == "not a status event: type is required (the routing key, order.<status>)")
        let wrongType = try TestEvents.edited(try TestEvents.event(.refunded)) {
            var data = $0["data"] as! [String: Any]
            data["refund_amount"] = "12.50"
            $0["data"] = data
        }
        #expect(try TestEvents.error(wrongType).description
                == "not a status event: data.refund_amount must be a whole number")
        let noTime = try TestEvents.edited(try TestEvents.event(.shipped)) { $0["time"] = "yesterday" }
        #expect(try TestEvents.error(noTime).description.contains("time must be an RFC 3339 date-time"))
        let mismatch = try TestEvents.edited(try TestEvents.event(.shipped)) { $0["type"] = "order.delivered" }
        #expect(try TestEvents.error(mismatch) == .inconsistent(
            path: "data.status", problem: "is shipped but the event's type is order.delivered; one of them is wrong"))
    }

    @Test("an email that cannot be written without a field names it")
    func missingFields() throws {
        let noTracking = try TestEvents.event(.shipped) { $0.trackingNumber = nil }
        #expect(try TestEvents.error(noTracking).description
                == "tracking_number is required to write the order.shipped email")
        let noAuthorisation = try TestEvents.event(.returnRequested) { $0.returnAuthorization = nil }
        #expect(try TestEvents.error(noAuthorisation) == .missingField(path: "return_authorization",
                                                                       eventType: "order.return_requested"))
        let noAmount = try TestEvents.event(.refunded) { $0.refundAmount = nil }
        #expect(try TestEvents.error(noAmount) == .missingField(path: "refund_amount", eventType: "order.refunded"))
        let noCustomer = try TestEvents.edited(try TestEvents.event(.confirmed)) {
            var data = $0["data"] as! [String: Any]
            data["customer"] = nil
            $0["data"] = data
        }
        #expect(try TestEvents.error(noCustomer).description == "customer is required to write the order.confirmed email")
        let badCurrency = try TestEvents.event(.refunded) { $0.currency = "XXX" }
        #expect(try TestEvents.error(badCurrency).description.hasPrefix("currency is not an ISO 4217 currency code"))
    }

    @Test("the event's fields are read as the production encoder writes them")
    func parsesProductionEvent() throws {
        let event = try OrderEvent.parse(try TestEvents.event(.shipped))
        #expect(event.specversion == "1.0")
        #expect(event.type == "order.shipped")
        #expect(event.source == "oms/test")
        #expect(event.id == "web-100234:4:shipped")
        #expect(event.time == TestEvents.time)
        #expect(event.data.orderID == "web-100234")
        #expect(event.data.status == .shipped)
        #expect(event.data.version == 4)
        #expect(event.data.channel == "web")
        #expect(event.data.externalID == "#100234")
        #expect(event.orderNumber == "#100234")
        #expect(event.data.currency == "USD")
        #expect(event.data.carrier == "table-rate")
        #expect(event.data.trackingNumber == "TR0012345678")
        #expect(event.data.customer == .init(name: "Ada Lovelace", email: "ada@example.com"))
        #expect(event.data.lines == [.init(sku: "MUG-BLUE", quantity: 2), .init(sku: "TEA-EARL", quantity: 1)])
    }
}
