import Foundation
import SMTPClient

/// Messages for the SMTP tests, and what `SMTPTestServer.Handler.recorder`
/// stored of them.
enum SMTPTestSupport {
    /// A small RFC 5322 message with CRLF line endings and a unique Message-ID.
    static func message(subject: String = "Order confirmation", body: String = "Thank you for your order.\r\n")
        -> [UInt8] {
        let id = UUID().uuidString.lowercased()
        return Array(("From: OMS <orders@shop.example>\r\nTo: buyer@example.com\r\nSubject: \(subject)\r\n"
            + "Message-ID: <\(id)@shop.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "\r\n\(body)").utf8)
    }

    /// One message as the recorder stored it: its four lines (X-Peer,
    /// X-Helo, X-MailFrom, X-RcptTo) and, after them, the bytes as received.
    struct Recorded {
        /// The client's address and port: one per connection.
        var peer: String
        /// The name the client gave in EHLO.
        var helo: String
        var mailFrom: String
        var recipients: String
        var content: [UInt8]

        init(_ stored: [UInt8]) {
            var rest = stored[...]
            var fields: [String] = []
            for _ in 0..<4 {
                let end = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
                let line = String(decoding: rest[..<end], as: UTF8.self)
                fields.append(String(line.drop { $0 != ":" }.dropFirst(2).dropLast(line.hasSuffix("\r") ? 1 : 0)))
                rest = rest[min(end + 1, rest.endIndex)...]
            }
            peer = fields[0]
            helo = fields[1]
            mailFrom = fields[2]
            recipients = fields[3]
            content = Array(rest)
        }
    }
}
