import Foundation

/// One customer email, ready for SMTP: `bytes` is the whole RFC 5322 message
/// (multipart/alternative with a text/plain and a text/html part, both UTF-8
/// quoted-printable, every line ending in CRLF), `mailFrom` and `recipients`
/// are the envelope.
///
/// Nothing in it depends on the clock or on chance: the Date is the event's
/// time, the Message-ID is made from the order and the event type, and the
/// MIME boundary from the Message-ID. The same event therefore gives the same
/// bytes, and a resend carries the same Message-ID, which is how a mail
/// system downstream recognises it.
public struct EmailMessage: Sendable, Hashable {
    public let from: Mailbox
    public let to: Mailbox
    public let replyTo: Mailbox?
    public let subject: String
    public let date: Date
    /// Without the angle brackets: `order.shipped.web-100234@oms.example.com`.
    public let messageID: String
    public let orderID: String
    public let eventType: String
    public let text: String
    public let html: String

    /// Checks every value that goes into a header: the subject (one line, no
    /// control characters, at most 998 characters), the order id and event type
    /// (printable ASCII, for the `X-OMS-*` headers) and the Message-ID.
    public init(from: Mailbox, to: Mailbox, replyTo: Mailbox? = nil, subject: String, date: Date,
                messageID: String, orderID: String, eventType: String, text: String,
                html: String) throws(NotificationError) {
        if let problem = HeaderSafety.problem(subject, maxLength: 998) {
            throw .unsafeText(path: "subject", problem: problem)
        }
        if subject.trimmingSpaces().isEmpty {
            throw .unsafeText(path: "subject", problem: "is empty; an email needs a subject")
        }
        for (path, value) in [("order_id", orderID), ("type", eventType)] {
            guard !value.isEmpty, value.utf8.count <= 200, value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
            else { throw .unsafeText(path: path, problem: "must be 1 to 200 printable ASCII characters without spaces "
                                     + "to go into the X-OMS headers") }
        }
        guard Self.isValidMessageID(messageID) else {
            throw .invalidSetting(name: "message id", problem: "must be dot-atom-text@domain (RFC 5322 §3.6.4)")
        }
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = Self.collapsingSpaces(subject)
        self.date = date
        self.messageID = messageID
        self.orderID = orderID
        self.eventType = eventType
        self.text = text
        self.html = html
    }

    /// The SMTP envelope sender (`MAIL FROM`).
    public var mailFrom: String { from.address }
    /// The SMTP envelope recipients (`RCPT TO`): the customer.
    public var recipients: [String] { [to.address] }

    /// `<eventType>.<orderID>@<domain>`, the same for the same order and event
    /// type. Letters, digits, `-` and `_` of the order id stay as they are;
    /// any other character is written `=XX` (its UTF-8 bytes), so that two
    /// different order ids never give the same Message-ID and the result is
    /// always a valid dot-atom.
    public static func messageID(orderID: String, eventType: String, domain: String) -> String {
        "\(atom(eventType, keepDots: true)).\(atom(orderID, keepDots: false))@\(domain)"
    }

    /// The MIME boundary: `=_oms_` and a 64-bit FNV-1a hash of the Message-ID in
    /// hex. `=_` never occurs in quoted-printable text, so the boundary cannot
    /// appear inside a part.
    public var boundary: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "=_oms_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The whole message, headers and body, as sent, built in one buffer.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096 + 2 * (text.utf8.count + html.utf8.count))
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        append("Date: \(RFC5322Date.format(date))\r\n")
        append(HeaderEncoding.mailbox("From", from))
        append(HeaderEncoding.mailbox("To", to))
        if let replyTo { append(HeaderEncoding.mailbox("Reply-To", replyTo)) }
        append(HeaderEncoding.unstructured("Subject", subject))
        append("Message-ID: <\(messageID)>\r\n")
        append("MIME-Version: 1.0\r\n")
        append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n")
        // RFC 3834: tells auto-responders not to answer.
        append("Auto-Submitted: auto-generated\r\n")
        append("X-OMS-Order: \(orderID)\r\nX-OMS-Event: \(eventType)\r\n\r\n")
        append("This is a multi-part message in MIME format.\r\n")
        for (type, content) in [("text/plain", text), ("text/html", html)] {
            append("\r\n--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\n")
            append("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
            QuotedPrintable.encode(content, into: &out)
        }
        append("\r\n--\(boundary)--\r\n")
        return out
    }

    /// The whole message as text (ASCII only: every header and part is encoded).
    public var rendered: String { String(decoding: bytes, as: UTF8.self) }

    private static func atom(_ text: String, keepDots: Bool) -> String {
        let kept = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".utf8)
        var out = ""
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            let dotAllowed = keepDots && byte == UInt8(ascii: ".") && index > 0 && index < bytes.count - 1
                && bytes[index - 1] != UInt8(ascii: ".")
            if kept.contains(byte) || dotAllowed {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "=" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    static func isValidMessageID(_ id: String) -> Bool {
        let parts = id.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, id.utf8.count <= 900 else { return false }
        let atext = HeaderEncoding.atext
        return parts.allSatisfy { part in
            let atoms = part.split(separator: ".", omittingEmptySubsequences: false)
            return atoms.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(atext.contains) }
        }
    }

    static func collapsingSpaces(_ text: String) -> String {
        text.trimmingSpaces().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
