import Foundation
import Notifications
import OMSDomain
import Testing

@Suite("The raw message is valid MIME, read back by Python's email package")
struct MIMETests {
    @Test("each email parses as multipart/alternative with a UTF-8 text and HTML part, no defects",
          arguments: EmailKind.allCases)
    func parses(kind: EmailKind) async throws {
        let email = try TestEvents.email(try TestEvents.event(for: kind))
        let parsed = try await PythonMIME.parse(email.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.isMultipart)
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(parsed.parts.map(\.charset) == ["utf-8", "utf-8"])
        #expect(parsed.parts.map(\.transferEncoding) == ["quoted-printable", "quoted-printable"])
        // On the wire text is canonical: CRLF line ends, which the reader keeps.
        #expect(parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") == email.text)
        #expect(parsed.html?.replacingOccurrences(of: "\r\n", with: "\n") == email.html)
        #expect(parsed.text?.replacingOccurrences(of: "\r\n", with: "").contains("\n") == false)
        #expect(parsed.subject == email.subject)
        #expect(parsed.messageID == "<\(kind.eventType).web-100234@oms.shop.example>")
        #expect(parsed.date == "2026-11-22T10:00:00+00:00")
        #expect(parsed.xOMSOrder == "web-100234")
        #expect(parsed.xOMSEvent == kind.eventType)
        #expect(parsed.from.map(\.name) == ["Example Shop"])
        #expect(parsed.from.map(\.address) == ["orders@shop.example"])
        #expect(parsed.replyTo.map(\.address) == ["help@shop.example"])
        #expect(parsed.to.map(\.address) == ["ada@example.com"])
    }

    @Test("a non-ASCII name is encoded in To and Subject and decodes to the same text")
    func nonASCIIName() async throws {
        let order = try TestEvents.order(name: "Zoë Ångström")
        let subject = "{{customer_name}}, your order {{order_number}} has shipped ✈"
        let email = try TestEvents.email(TestEvents.event(.shipped, order),
                                         overrides: ["order.shipped.subject.mustache": subject])
        let raw = String(decoding: email.bytes, as: UTF8.self)
        #expect(email.bytes.allSatisfy { $0 < 0x80 })
        #expect(raw.contains("=?UTF-8?B?"))
        let parsed = try await PythonMIME.parse(email.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.subject == "Zoë Ångström, your order #100234 has shipped ✈")
        #expect(parsed.to.map(\.name) == ["Zoë Ångström"])
        #expect(parsed.text?.contains("Hello Zoë Ångström,") == true)
        #expect(parsed.html?.contains("Hello Zoë Ångström,") == true)
    }

    @Test("long subjects are folded and unfold to the same text", arguments: [
        "Your order {{order_number}} has shipped and is travelling with {{carrier}} under tracking number {{tracking_number}}, expect it soon",
        "Ihre Bestellung {{order_number}} ist unterwegs — Sendungsverfolgung über {{carrier}} mit der Nummer {{tracking_number}}: schön, dass Sie da sind",
        "注文{{order_number}}を発送しました。追跡番号は{{tracking_number}}です。ご利用ありがとうございました。またのご利用をお待ちしております。",
    ])
    func longSubject(template: String) async throws {
        let email = try TestEvents.email(try TestEvents.event(.shipped),
                                         overrides: ["order.shipped.subject.mustache": template])
        let headerLines = try #require(String(decoding: email.bytes, as: UTF8.self).components(separatedBy: "\r\n\r\n").first)
            .components(separatedBy: "\r\n")
        let subjectLines = headerLines.drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 1)
        for line in headerLines { #expect(line.utf8.count <= 78, "header line too long: \(line)") }
        let parsed = try await PythonMIME.parse(email.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.subject == email.subject)
    }

    @Test("names with quotes, dots and commas are encoded, not broken into several addresses")
    func specialsInName() async throws {
        let order = try TestEvents.order(name: "Lovelace, Ada \"A.\" (Countess)")
        let email = try TestEvents.email(TestEvents.event(.confirmed, order))
        let parsed = try await PythonMIME.parse(email.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.to.count == 1)
        #expect(parsed.to.first?.name == "Lovelace, Ada \"A.\" (Countess)")
        #expect(parsed.to.first?.address == "ada@example.com")
    }

    @Test("without Reply-To the header is left out")
    func noReplyTo() async throws {
        let composer = EmailComposer(templates: try EmailTemplates(), settings: try TestEvents.settings(replyTo: false))
        guard case .send(let email) = try composer.compose(eventJSON: try TestEvents.event(.confirmed)) else {
            Issue.record("no email")
            return
        }
        let parsed = try await PythonMIME.parse(email.bytes)
        #expect(!parsed.headerNames.contains("Reply-To"))
        #expect(parsed.headerNames == ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type",
                                       "Auto-Submitted", "X-OMS-Order", "X-OMS-Event"])
    }
}
