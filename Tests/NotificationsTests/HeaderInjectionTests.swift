import Foundation
import Notifications
import OMSDomain
import Testing

@Suite("Nothing from an event can add a header")
struct HeaderInjectionTests {
    static let breaks = ["\r\n", "\n", "\r", "\u{2028}", "\u{85}"]

    @Test("a line break in the customer's name is an error naming the field", arguments: breaks)
    func nameWithLineBreak(lineBreak: String) throws {
        let order = try TestEvents.order(name: "Eve\(lineBreak)Bcc: victim@example.com")
        let error = try TestEvents.error(TestEvents.event(.shipped, order))
        #expect(error.description == "customer.name contains a line break; it cannot go into an email header")
    }

    @Test("a line break in the email address is an error naming the field", arguments: breaks)
    func emailWithLineBreak(lineBreak: String) throws {
        let order = try TestEvents.order(email: "ada@example.com\(lineBreak)Bcc: victim@example.com")
        let error = try TestEvents.error(TestEvents.event(.confirmed, order))
        #expect(error.description == "customer.email contains a line break; it cannot go into an email header")
    }

    @Test("a line break in the reason is an error, though the built-in subject does not show it")
    func reasonWithLineBreak() throws {
        let event = try TestEvents.event(.cancelled) { $0.reason = "asked\r\nBcc: victim@example.com" }
        #expect(try TestEvents.error(event) == .unsafeText(
            path: "reason", problem: "contains a line break; it cannot go into an email header"))
    }

    @Test("every value a template can show is checked",
          arguments: ["external_id", "carrier", "tracking_number", "channel", "return_authorization"])
    func otherValues(path: String) throws {
        let evil = "x\r\nX-Evil: 1"
        let event = try TestEvents.event(.shipped) { data in
            switch path {
            case "external_id": data.externalID = evil
            case "carrier": data.carrier = evil
            case "tracking_number": data.trackingNumber = evil
            case "channel": data.channel = evil
            default: data.returnAuthorization = evil
            }
        }
        #expect(try TestEvents.error(event)
                == .unsafeText(path: path, problem: "contains a line break; it cannot go into an email header"))
    }

    @Test("other control characters are refused too")
    func controlCharacters() throws {
        let order = try TestEvents.order(name: "Ada\u{0}Lovelace")
        #expect(try TestEvents.error(TestEvents.event(.shipped, order)).description
                == "customer.name contains the control character U+0000; it cannot go into an email header")
        let tab = try TestEvents.order(name: "Ada\tLovelace")
        #expect(try TestEvents.error(TestEvents.event(.shipped, tab)).description
                == "customer.name contains the control character U+0009; it cannot go into an email header")
    }

    @Test("addresses that cannot go into a header or an envelope are refused, saying why", arguments: [
        ("", "is empty; an email address such as ada@example.com is needed"),
        ("ada.example.com", "has no @; it must be an email address such as ada@example.com"),
        ("ada@@example.com", "has 2 @ signs; an email address has exactly one"),
        ("ada lovelace@example.com", "contains a space; an email address has none"),
        ("ada@example.com>, victim@example.com", "contains a space; an email address has none"),
        ("ada@example.com>,victim@example.com", "has 2 @ signs; an email address has exactly one"),
        ("<ada@example.com>", "contains '<'; quotes, brackets, commas, colons, semicolons and backslashes cannot be written unquoted in an address"),
        ("zoë@example.com", "contains non-ASCII characters; internationalised addresses (SMTPUTF8) are not supported"),
        ("ada@localhost", "must have a domain such as example.com after the @ (letters, digits and hyphens, with dots)"),
        ("@example.com", "has nothing before the @"),
        (".ada@example.com", "starts or ends with a dot, or has two in a row, before the @"),
        (String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 186) + ".com",
         "is 255 characters long; an email address has at most 254"),
    ])
    func badAddresses(address: String, problem: String) throws {
        let order = try TestEvents.order(email: address)
        #expect(try TestEvents.error(TestEvents.event(.confirmed, order))
                == .invalidAddress(path: "customer.email", problem: problem))
    }

    @Test("a name that looks like a header stays inside the To header")
    func headerLookalikeName() async throws {
        let order = try TestEvents.order(name: "Eve Bcc: victim@example.com")
        let email = try TestEvents.email(TestEvents.event(.confirmed, order))
        let parsed = try await PythonMIME.parse(email.bytes)
        #expect(parsed.defects == [])
        #expect(!parsed.headerNames.contains { $0.lowercased() == "bcc" })
        #expect(parsed.to.map(\.address) == ["ada@example.com"])
        #expect(parsed.to.first?.name == "Eve Bcc: victim@example.com")
    }

    @Test("a name that looks like an encoded-word is itself encoded, so it reads back literally")
    func encodedWordLookalike() async throws {
        let order = try TestEvents.order(name: "=?UTF-8?B?QWRtaW4=?=")
        let parsed = try await PythonMIME.parse(TestEvents.email(TestEvents.event(.confirmed, order)).bytes)
        #expect(parsed.to.first?.name == "=?UTF-8?B?QWRtaW4=?=")
    }

    @Test("the message refuses a subject with a line break, whoever builds it")
    func messageSubject() throws {
        let from = try Mailbox(address: "orders@shop.example")
        let to = try Mailbox(address: "ada@example.com")
        #expect(throws: NotificationError.unsafeText(path: "subject",
                                                     problem: "contains a line break; it cannot go into an email header")) {
            try EmailMessage(from: from, to: to, subject: "Hi\r\nBcc: victim@example.com", date: TestEvents.time,
                             messageID: "order.shipped.web-1@oms.shop.example", orderID: "web-1",
                             eventType: "order.shipped", text: "t", html: "h")
        }
    }
}
