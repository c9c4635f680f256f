import Foundation
import Notifications
import OMSDomain
import Testing

@Suite("The bytes on the wire")
struct WireFormatTests {
    /// Every email, with a name and reason that need encoding.
    static func emails() throws -> [EmailMessage] {
        let order = try TestEvents.order(name: "Zoë Ångström")
        return try EmailKind.allCases.map { kind in
            try TestEvents.email(TestEvents.event(for: kind, order) {
                if kind == .cancelled { $0.reason = String(repeating: "Ünïcödé reason, with = signs; ", count: 8) }
            })
        }
    }

    @Test("every line ends with CRLF: no bare LF or CR anywhere")
    func crlf() throws {
        for email in try Self.emails() {
            let bytes = email.bytes
            #expect(bytes.suffix(2) == [0x0D, 0x0A])
            for (index, byte) in bytes.enumerated() {
                if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)") }
                if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)") }
            }
        }
    }

    @Test("the message is 7-bit ASCII, body lines at most 76 characters, header lines at most 78")
    func lineLengths() throws {
        for email in try Self.emails() {
            let raw = String(decoding: email.bytes, as: UTF8.self)
            #expect(email.bytes.allSatisfy { $0 < 0x80 })
            let header = try #require(raw.components(separatedBy: "\r\n\r\n").first)
            for line in header.components(separatedBy: "\r\n") {
                #expect(line.utf8.count <= 78, "header line: \(line)")
            }
            let body = raw.dropFirst(header.utf8.count + 4)
            for line in body.components(separatedBy: "\r\n") {
                #expect(line.utf8.count <= QuotedPrintable.maxLineLength, "body line: \(line)")
            }
        }
    }

    @Test("headers as written for the plain case")
    func headers() throws {
        let email = try TestEvents.email(try TestEvents.event(.shipped))
        let raw = String(decoding: email.bytes, as: UTF8.self)
        let header = try #require(raw.components(separatedBy: "\r\n\r\n").first)
        #expect(header == """
            Date: Sun, 22 Nov 2026 10:00:00 +0000\r
            From: Example Shop <orders@shop.example>\r
            To: Ada Lovelace <ada@example.com>\r
            Reply-To: Example Shop Help <help@shop.example>\r
            Subject: Your order #100234 has shipped\r
            Message-ID: <order.shipped.web-100234@oms.shop.example>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/alternative; boundary="\(email.boundary)"\r
            Auto-Submitted: auto-generated\r
            X-OMS-Order: web-100234\r
            X-OMS-Event: order.shipped
            """)
        #expect(email.boundary.hasPrefix("=_oms_") && email.boundary.count == 22)
        #expect(raw.hasSuffix("\r\n--\(email.boundary)--\r\n"))
        #expect(raw.components(separatedBy: "\r\n--\(email.boundary)\r\n").count == 3)
    }

    @Test("the same event gives byte-identical messages with the same Message-ID")
    func deterministic() throws {
        let event = try TestEvents.event(.shipped)
        let first = try TestEvents.email(event)
        let second = try TestEvents.email(event)
        #expect(first.bytes == second.bytes)
        #expect(first.messageID == "order.shipped.web-100234@oms.shop.example")
        // A redelivery re-published later (another time, another version) is still recognisable downstream.
        let later = try TestEvents.edited(event) { $0["time"] = "2026-11-23T08:30:00.250Z" }
        #expect(try TestEvents.email(later).messageID == first.messageID)
        #expect(try TestEvents.email(later).boundary == first.boundary)
    }

    @Test("Message-IDs differ between events and orders, and odd order ids stay valid and distinct")
    func messageIDs() async throws {
        let shipped = try TestEvents.email(try TestEvents.event(.shipped))
        let delivered = try TestEvents.email(try TestEvents.event(.delivered))
        #expect(shipped.messageID != delivered.messageID)
        #expect(shipped.boundary != delivered.boundary)
        #expect(EmailMessage.messageID(orderID: "web:1.2", eventType: "order.shipped", domain: "oms.shop.example")
                == "order.shipped.web=3A1=2E2@oms.shop.example")
        #expect(EmailMessage.messageID(orderID: "web-1=3A", eventType: "order.shipped", domain: "d.example")
                != EmailMessage.messageID(orderID: "web-1:", eventType: "order.shipped", domain: "d.example"))
        #expect(EmailMessage.messageID(orderID: "web_1", eventType: "order.return_requested", domain: "d.example")
                == "order.return_requested.web_1@d.example")
        let odd = try TestEvents.order(id: "mkt:A.B..C")
        let parsed = try await PythonMIME.parse(TestEvents.email(TestEvents.event(.confirmed, odd)).bytes)
        #expect(parsed.defects == [])
        #expect(parsed.messageID == "<order.confirmed.mkt=3AA=2EB=2E=2EC@oms.shop.example>")
    }

    @Test("the Date header is the event's time in RFC 5322 form")
    func date() {
        #expect(RFC5322Date.format(RFC3339.parse("2026-11-22T10:00:00.999Z")!) == "Sun, 22 Nov 2026 10:00:00 +0000")
        #expect(RFC5322Date.format(RFC3339.parse("2024-02-29T23:59:59+02:00")!) == "Thu, 29 Feb 2024 21:59:59 +0000")
        #expect(RFC5322Date.format(RFC3339.parse("2027-01-04T00:00:00Z")!) == "Mon, 04 Jan 2027 00:00:00 +0000")
    }
}
