import Foundation
import SMTPClient
import Supervision
import Testing

/// What the sender makes of a server that refuses, defers or is not there.
/// The time bounds here separate failing at once from hanging until a long
/// timeout; in a parallel run on two cores, the scheduling of other tests adds
/// seconds, so they are generous.
@Suite("SMTP server replies become error kinds")
struct SMTPServerRepliesTests {
    @Test("a closed port fails fast as unreachable, saying the server is not running")
    func closedPort() async throws {
        let port = try LocalPorts.free(1)[0]
        let sender = SMTPSender(configuration: SMTPConfiguration(url: SMTPURL(port: port)))
        let start = ContinuousClock.now
        let error = await #expect(throws: SMTPError.self) {
            try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                  message: SMTPTestSupport.message())
        }
        let waited = ContinuousClock.now - start
        #expect(waited < TestBounds.failsFast, "waited \(waited)")
        #expect(error?.kind == .unreachable)
        #expect(error?.isTransient == true)
        #expect(error?.replyCode == nil)
        #expect(error?.description.hasPrefix(
            "SMTP server at 127.0.0.1:\(port) refused the connection: is it running? (scripts/services up)") == true,
                "\(String(describing: error))")
        await sender.close()
    }

    @Test("replies per address and per message", arguments: [
        // (sender, recipients, X-Test-Reply, kind, reply code, libcurl's text)
        Case("orders@shop.example", ["reject@example.com"], nil, .rejected, 550, "RCPT failed: 550"),
        Case("orders@shop.example", ["later@example.com"], nil, .transient, 451, "RCPT failed: 451"),
        Case("reject@shop.example", ["buyer@example.com"], nil, .rejected, 553, "MAIL failed: 553"),
        Case("later@shop.example", ["buyer@example.com"], nil, .transient, 451, "MAIL failed: 451"),
        Case("orders@shop.example", ["buyer@example.com"], "554", .rejected, 554, nil),
        Case("orders@shop.example", ["buyer@example.com"], "452", .transient, 452, nil),
        // One refused recipient fails the whole send: nobody gets it.
        Case("orders@shop.example", ["buyer@example.com", "reject@example.com"], nil, .rejected, 550,
             "RCPT failed: 550"),
    ])
    func replies(_ reply: Case) async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        let headers = reply.messageReply.map { "X-Test-Reply: \($0)\r\n" } ?? ""
        let message = Array(headers.utf8) + SMTPTestSupport.message()
        let error = await #expect(throws: SMTPError.self) {
            try await sender.send(from: reply.sender, to: reply.recipients, message: message)
        }
        #expect(error?.kind == reply.kind)
        #expect(error?.replyCode == reply.replyCode)
        #expect(error?.isTransient == (reply.kind == .transient))
        if let text = reply.text { #expect(error?.text == text) }
        #expect(error?.description.contains("SMTP server at 127.0.0.1:\(server.port)") == true)
        #expect(error?.description.contains("example") == false, "no address in \(String(describing: error))")
        #expect(try server.messages().isEmpty)

        // The sender is not stuck: the next message goes.
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: SMTPTestSupport.message())
        #expect(try server.messages().count == 1)
        await sender.close()
    }

    @Test("the connection dropped mid-session is transient, and the next send connects again")
    func droppedMidSession() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        // The drop comes after the greeting; on a loaded machine the test
        // server's greeting may take longer than the 5 s default allows.
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url, connectTimeout: .seconds(30)))
        let error = await #expect(throws: SMTPError.self) {
            try await sender.send(from: "orders@shop.example", to: ["drop@example.com"],
                                  message: SMTPTestSupport.message())
        }
        #expect(error?.kind == .transient)
        #expect(error?.description.contains("broke") == true, "\(String(describing: error))")
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: SMTPTestSupport.message())
        #expect(try server.messages().count == 1)
        await sender.close()
    }

    @Test("a server that accepts but never greets times out as unreachable")
    func silentServer() async throws {
        // A listening socket nobody accepts from: the kernel completes the
        // handshake, and no greeting ever comes.
        let listener = try SMTPSilentListener()
        defer { listener.close() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: SMTPURL(port: listener.port),
                                                                 timeout: .seconds(1)))
        let start = ContinuousClock.now
        let error = await #expect(throws: SMTPError.self) {
            try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                  message: SMTPTestSupport.message())
        }
        #expect(ContinuousClock.now - start < TestBounds.failsFast)
        #expect(error?.kind == .unreachable)
        #expect(error?.libcurlCode == 28)
        #expect(error?.description.contains("did not answer") == true, "\(String(describing: error))")
        await sender.close()
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var sender: String
        var recipients: [String]
        var messageReply: String?
        var kind: SMTPError.Kind
        var replyCode: Int
        var text: String?

        init(_ sender: String, _ recipients: [String], _ messageReply: String?, _ kind: SMTPError.Kind,
             _ replyCode: Int, _ text: String?) {
            self.sender = sender
            self.recipients = recipients
            self.messageReply = messageReply
            self.kind = kind
            self.replyCode = replyCode
            self.text = text
        }

        var testDescription: String {
            "\(replyCode) for \(messageReply == nil ? "MAIL \(sender) RCPT \(recipients)" : "the message")"
        }
    }
}
