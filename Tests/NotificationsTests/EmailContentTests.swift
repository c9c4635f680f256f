import Foundation
import Notifications
import OMSDomain
import Testing

@Suite("What each email says")
struct EmailContentTests {
    @Test("confirmed: subject with the external number, greeting and lines in both parts")
    func confirmed() throws {
        let email = try TestEvents.email(try TestEvents.event(.confirmed))
        #expect(email.subject == "Your order #100234 is confirmed")
        #expect(email.text.contains("Hello Ada Lovelace,"))
        #expect(email.text.contains("Thank you for your order #100234."))
        #expect(email.text.contains("2 × MUG-BLUE"))
        #expect(email.text.contains("1 × TEA-EARL"))
        #expect(email.html.contains("<strong>#100234</strong>"))
        #expect(email.html.contains("MUG-BLUE"))
        #expect(email.html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test("lines with a title (from the order or the catalog) show it beside the SKU; the others the SKU")
    func titledLines() throws {
        let email = try TestEvents.email(try TestEvents.event(.confirmed) { data in
            data.lines?[0].name = "Blue mug, 350 ml"
        })
        #expect(email.text.contains("2 × Blue mug, 350 ml (MUG-BLUE)"))
        #expect(email.text.contains("1 × TEA-EARL"))
        #expect(email.html.contains("Blue mug, 350 ml (MUG-BLUE)"))
    }

    @Test("confirmed and shipped state the estimated delivery day; a malformed date is left out")
    func estimatedDelivery() throws {
        let confirmed = try TestEvents.email(try TestEvents.event(.confirmed) { $0.estimatedDelivery = "2026-11-27" })
        #expect(confirmed.text.contains("Estimated delivery: Friday 27 November 2026."))
        #expect(confirmed.html.contains("Estimated delivery: <strong>Friday 27 November 2026</strong>"))
        let shipped = try TestEvents.email(try TestEvents.event(.shipped) { $0.estimatedDelivery = "2026-12-01" })
        #expect(shipped.text.contains("The carrier expects to deliver it on Tuesday 1 December 2026."))
        let malformed = try TestEvents.email(try TestEvents.event(.confirmed) { $0.estimatedDelivery = "2026-02-30" })
        #expect(!malformed.text.contains("Estimated delivery"))
    }

    @Test("refunded for a prepaid order: the channel refunds, and the email says so instead of claiming a refund")
    func refundedByChannel() throws {
        let email = try TestEvents.email(try TestEvents.event(.refunded) { data in
            data.refundAmount = 2500
            data.currency = "USD"
            data.refundBy = "channel"
            data.channel = "amazon"
        })
        #expect(email.text.contains("You paid\nfor it through amazon, so amazon will refund\n$25.00 to you"), "\(email.text)")
        #expect(!email.text.contains("We have refunded"))
        #expect(email.html.contains("so amazon will refund <strong>$25.00</strong>"))
        let byGateway = try TestEvents.email(try TestEvents.event(.refunded) { data in
            data.refundAmount = 2500
            data.currency = "USD"
            data.refundBy = "gateway"
        })
        #expect(byGateway.text.contains("We have refunded $25.00"))
    }

    @Test("backordered: says so, with the reason")
    func backordered() throws {
        let email = try TestEvents.email(try TestEvents.event(.backordered))
        #expect(email.subject == "Your order #100234 is on backorder")
        #expect(email.text.contains("Details: MUG-BLUE: 2 wanted, 0 available"))
        #expect(email.html.contains("Details: MUG-BLUE: 2 wanted, 0 available"))
    }

    @Test("shipped: carrier, tracking number and tracking link in both parts")
    func shipped() throws {
        let email = try TestEvents.email(try TestEvents.event(.shipped))
        #expect(email.subject == "Your order #100234 has shipped")
        let link = "https://track.example/table-rate/TR0012345678"
        #expect(email.text.contains("Carrier: table-rate"))
        #expect(email.text.contains("Tracking number: TR0012345678"))
        #expect(email.text.contains("Track your parcel: \(link)"))
        #expect(email.html.contains("TR0012345678"))
        #expect(email.html.contains("<a href=\"\(link)\""))
        #expect(email.html.contains(">table-rate<"))
    }

    @Test("shipped in parcels: each parcel with its carrier, tracking link, date and lines; no single tracking block")
    func shippedInParcels() throws {
        let parcels = [
            ShippedParcel(number: 1, location: "LON-1", lines: [.init(sku: "MUG-BLUE", quantity: 2, name: "Blue mug")],
                          carrier: "table-rate", trackingNumber: "CA000000017GB", estimatedDelivery: "2026-11-24"),
            ShippedParcel(number: 2, location: "BER-1", lines: [.init(sku: "TEA", quantity: 1)],
                          carrier: "table-rate", trackingNumber: "CA000000025GB", estimatedDelivery: "2026-11-26"),
        ]
        let email = try TestEvents.email(try TestEvents.event(.shipped) { $0.parcels = parcels })
        #expect(email.text.contains("is on its way, in 2 parcels."))
        #expect(email.text.contains("""
            Parcel 1 of 2: table-rate, tracking number CA000000017GB
              Track it: https://track.example/table-rate/CA000000017GB
              Expected on Tuesday 24 November 2026.
              2 × Blue mug (MUG-BLUE)
            """))
        #expect(email.text.contains("""
            Parcel 2 of 2: table-rate, tracking number CA000000025GB
              Track it: https://track.example/table-rate/CA000000025GB
              Expected on Thursday 26 November 2026.
              1 × TEA
            """))
        #expect(!email.text.contains("Tracking number: TR0012345678"))
        #expect(email.html.contains("Parcel 2 of 2</h2>"))
        #expect(email.html.contains("<a href=\"https://track.example/table-rate/CA000000025GB\">CA000000025GB</a>"))
        #expect(!email.html.contains("TR0012345678"))
    }

    @Test("the tracking link follows the configured pattern, its parts percent-encoded")
    func trackingLinkPattern() throws {
        let settings = try NotificationSettings(
            from: Mailbox(address: "orders@shop.example"),
            trackingLink: "https://parcels.example/track?c={carrier}&n={tracking_number}")
        let composer = EmailComposer(templates: try EmailTemplates(), settings: settings)
        let event = try TestEvents.event(.shipped) { $0.carrier = "Royal Mail" }
        guard case .send(let email) = try composer.compose(eventJSON: event) else {
            Issue.record("no email")
            return
        }
        #expect(email.text.contains("https://parcels.example/track?c=Royal%20Mail&n=TR0012345678"))
        // In HTML the & of the query is escaped, as an attribute needs.
        #expect(email.html.contains("href=\"https://parcels.example/track?c=Royal%20Mail&amp;n=TR0012345678\""))
    }

    @Test("delivered: says so")
    func delivered() throws {
        let email = try TestEvents.email(try TestEvents.event(.delivered))
        #expect(email.subject == "Your order #100234 has been delivered")
        #expect(email.text.contains("has been delivered by table-rate."))
        #expect(email.html.contains("has been delivered by table-rate."))
    }

    @Test("cancelled: the reason in both parts")
    func cancelled() throws {
        let email = try TestEvents.email(try TestEvents.event(.cancelled) { $0.reason = "payment declined" })
        #expect(email.subject == "Your order #100234 has been cancelled")
        #expect(email.text.contains("Reason: payment declined"))
        #expect(email.html.contains("<p>Reason: payment declined</p>"))
    }

    @Test("cancelled without a reason: no empty reason line")
    func cancelledWithoutReason() throws {
        let email = try TestEvents.email(try TestEvents.event(.cancelled) { $0.reason = nil })
        #expect(!email.text.contains("Reason"))
        #expect(!email.html.contains("Reason"))
    }

    @Test("return requested: the return authorisation number in subject and both parts")
    func returnRequested() throws {
        let email = try TestEvents.email(try TestEvents.event(.returnRequested))
        #expect(email.subject == "Your return for order #100234: authorisation RA-100234-1")
        #expect(email.text.contains("Return authorisation: RA-100234-1"))
        #expect(email.html.contains("RA-100234-1"))
        #expect(email.text.contains("Your reason: too small"))
    }

    @Test("refunded: the amount formatted for the currency", arguments: [
        ("USD", Int64(1250), "$12.50"), ("EUR", 99_999, "€999.99"), ("GBP", 5, "£0.05"), ("JPY", 1250, "¥1250"),
        ("CHF", 1250, "12.50 CHF"), ("KWD", 1250, "1.250 KWD"),
    ])
    func refunded(currency: String, minorUnits: Int64, shown: String) throws {
        let order = try TestEvents.order(currency: currency)
        let email = try TestEvents.email(TestEvents.event(.refunded, order) { $0.refundAmount = minorUnits })
        #expect(email.subject == "Your refund of \(shown) for order #100234")
        #expect(email.text.contains("We have refunded \(shown) for order #100234"))
        #expect(email.html.contains("<strong>\(shown)</strong>"))
    }

    @Test("without an external number the subject shows the order id")
    func orderIDWhenNoExternalNumber() throws {
        let order = try TestEvents.order(externalID: nil)
        let email = try TestEvents.email(TestEvents.event(.shipped, order))
        #expect(email.subject == "Your order web-100234 has shipped")
    }

    @Test("values are HTML-escaped in the HTML part and left as they are in the text part and subject")
    func escaping() throws {
        let order = try TestEvents.order(externalID: "#1<2>&\"3\"", name: "Tom & Jerry <Ltd>")
        let email = try TestEvents.email(TestEvents.event(.cancelled, order) { $0.reason = "out of <stock> & gone" })
        #expect(email.subject == "Your order #1<2>&\"3\" has been cancelled")
        #expect(email.text.contains("Hello Tom & Jerry <Ltd>,"))
        #expect(email.text.contains("Reason: out of <stock> & gone"))
        #expect(!email.text.contains("&amp;") && !email.text.contains("&lt;"))
        #expect(email.html.contains("Hello Tom &amp; Jerry &lt;Ltd&gt;,"))
        #expect(email.html.contains("Reason: out of &lt;stock&gt; &amp; gone"))
        #expect(email.html.contains("#1&lt;2&gt;&amp;&quot;3&quot;"))
        #expect(!email.html.contains("<Ltd>") && !email.html.contains("<stock>"))
    }

    @Test("an empty customer name greets without one")
    func noName() throws {
        let order = try TestEvents.order(name: "")
        let email = try TestEvents.email(TestEvents.event(.confirmed, order))
        #expect(email.text.hasPrefix("Hello,\n"))
        #expect(email.to.name.isEmpty)
    }

    @Test("From, Reply-To and the envelope come from the settings; To and the recipient are the customer")
    func addresses() throws {
        let email = try TestEvents.email(try TestEvents.event(.confirmed))
        #expect(email.from.address == "orders@shop.example")
        #expect(email.from.name == "Example Shop")
        #expect(email.replyTo?.address == "help@shop.example")
        #expect(email.to.address == "ada@example.com")
        #expect(email.to.name == "Ada Lovelace")
        #expect(email.mailFrom == "orders@shop.example")
        #expect(email.recipients == ["ada@example.com"])
        #expect(email.orderID == "web-100234")
        #expect(email.eventType == "order.confirmed")
        #expect(email.date == TestEvents.time)
    }
}
