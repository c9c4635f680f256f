import Foundation
import SMTPClient
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("SMTP sender against a real server")
struct SMTPSenderTests {
    @Test("a message arrives byte for byte, CRLF and lines starting with a dot intact")
    func byteForByte() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        // "." alone would end DATA and ".." would lose a dot without
        // dot-stuffing; UTF-8 and a long line go through as they are.
        let body = "Line one\r\n.\r\n..two dots\r\n.one dot\r\nGrüße, Ümlaut ✓\r\n"
            + String(repeating: "x", count: 900) + "\r\n\r\n"
        let message = SMTPTestSupport.message(body: body)
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"], message: message)

        let stored = try server.messages()
        try #require(stored.count == 1)
        let recorded = SMTPTestSupport.Recorded(stored[0])
        #expect(recorded.content == message)
        #expect(recorded.mailFrom == "orders@shop.example")
        #expect(recorded.recipients == "buyer@example.com")
        await sender.close()
    }

    @Test("aiosmtpd's Mailbox stores the message with the envelope in X-MailFrom and X-RcptTo")
    func mailbox() async throws {
        let server = try await SMTPTestServer.start(.mailbox)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        let message = SMTPTestSupport.message(subject: "Your order has shipped", body: "Tracking: 1Z999\r\n")
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com", "ops@shop.example"],
                              message: message)

        let stored = try server.messages()
        try #require(stored.count == 1, "one message for both recipients")
        // Python's maildir writer stores LF line endings.
        let text = String(decoding: stored[0], as: UTF8.self)
        #expect(text.contains("\nX-MailFrom: orders@shop.example\n"))
        #expect(text.contains("\nX-RcptTo: buyer@example.com, ops@shop.example\n"))
        #expect(text.contains("Subject: Your order has shipped\n"))
        #expect(text.hasSuffix("\n\nTracking: 1Z999\n"))
        await sender.close()
    }

    @Test("bare LF and a missing final line break arrive as CRLF")
    func lineEndings() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: Array("Subject: LF\n\nfirst\n.\nlast".utf8))
        let recorded = SMTPTestSupport.Recorded(try #require(try server.messages().first))
        #expect(recorded.content == Array("Subject: LF\r\n\r\nfirst\r\n.\r\nlast\r\n".utf8))
        await sender.close()
    }

    @Test("a burst on one sender goes over one connection")
    func connectionReuse() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        for index in 0..<5 {
            try await sender.send(from: "orders@shop.example", to: ["buyer\(index)@example.com"],
                                  message: SMTPTestSupport.message(subject: "burst \(index)"))
        }
        let recorded = try server.messages().map(SMTPTestSupport.Recorded.init)
        #expect(recorded.count == 5)
        #expect(Set(recorded.map(\.peer)).count == 1, "client ports: \(recorded.map(\.peer))")

        // close() says QUIT; the next send connects again.
        await sender.close()
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: SMTPTestSupport.message(subject: "after close"))
        #expect(Set(try server.messages().map { SMTPTestSupport.Recorded($0).peer }).count == 2)
        await sender.close()
    }

    @Test("EHLO gives the configured name, else this machine's host name")
    func heloName() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let named = SMTPSender(configuration: SMTPConfiguration(url: server.url, heloDomain: "oms.shop.example"))
        try await named.send(from: "orders@shop.example", to: ["buyer@example.com"], message: SMTPTestSupport.message())
        await named.close()
        let unnamed = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        try await unnamed.send(from: "orders@shop.example", to: ["buyer@example.com"],
                               message: SMTPTestSupport.message())
        await unnamed.close()
        let names = Set(try server.messages().map { SMTPTestSupport.Recorded($0).helo })
        var hostName = [UInt8](repeating: 0, count: 256)
        gethostname(&hostName, hostName.count - 1)
        let host = String(decoding: hostName.prefix { $0 != 0 }, as: UTF8.self)
        #expect(names == ["oms.shop.example", host])
    }

    @Test("the null sender (MAIL FROM:<>) is allowed")
    func nullSender() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        try await sender.send(from: "", to: ["buyer@example.com"], message: SMTPTestSupport.message())
        let recorded = SMTPTestSupport.Recorded(try #require(try server.messages().first))
        #expect(recorded.mailFrom == "<>", "aiosmtpd's name for the null reverse-path")
        await sender.close()
    }

    @Test("an address that would break a command never reaches the server")
    func invalidAddress() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        let error = await #expect(throws: SMTPError.self) {
            try await sender.send(from: "orders@shop.example", to: ["buyer@example.com\r\nRCPT TO:<x@evil.example>"],
                                  message: SMTPTestSupport.message())
        }
        #expect(error?.kind == .invalidAddress)
        #expect(error?.isTransient == false)
        #expect(try server.messages().isEmpty)
        await sender.close()
    }
}
