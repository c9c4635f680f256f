import Foundation
import SMTPClient
import Testing

/// AUTH, STARTTLS and smtps against aiosmtpd with a self-signed certificate.
@Suite("SMTP login and TLS")
struct SMTPSecurityTests {
    @Test("the right password sends; a wrong one or none is an authentication error")
    func authentication() async throws {
        let server = try await SMTPTestServer.start(.authenticating(user: "oms", password: "s3cret:%"))
        defer { server.stop() }
        func send(_ url: String) async throws(SMTPError) {
            // No TLS on this test server: say so, since a password would
            // otherwise make STARTTLS required.
            let sender = SMTPSender(configuration: SMTPConfiguration(url: try SMTPURL(url), startTLS: .never))
            defer { Task { await sender.close() } }
            try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                  message: SMTPTestSupport.message())
        }
        try await send("smtp://oms:s3cret%3A%25@127.0.0.1:\(server.port)")
        #expect(try server.messages().count == 1)

        let wrong = await #expect(throws: SMTPError.self) {
            try await send("smtp://oms:wrong@127.0.0.1:\(server.port)")
        }
        #expect(wrong?.kind == .authentication)
        #expect(wrong?.replyCode == 535)
        #expect(wrong?.description.contains("refused the login") == true, "\(String(describing: wrong))")
        #expect(wrong?.description.contains("wrong") == false, "no password in \(String(describing: wrong))")

        let none = await #expect(throws: SMTPError.self) { try await send("smtp://127.0.0.1:\(server.port)") }
        #expect(none?.kind == .authentication)
        #expect(none?.replyCode == 530)
        #expect(none?.description.contains("requires a login") == true, "\(String(describing: none))")
        #expect(try server.messages().count == 1)
    }

    @Test("STARTTLS is used when offered, with the certificate verified")
    func startTLS() async throws {
        let server = try await SMTPTestServer.start(.recorder, security: .startTLS)
        defer { server.stop() }
        // The server refuses MAIL before STARTTLS, so arriving proves the upgrade.
        let trusting = SMTPSender(configuration: SMTPConfiguration(url: server.url,
                                                                   caBundlePath: server.certificatePath))
        try await trusting.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                message: SMTPTestSupport.message())
        #expect(try server.messages().count == 1)
        await trusting.close()

        let untrusting = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        let error = await #expect(throws: SMTPError.self) {
            try await untrusting.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                      message: SMTPTestSupport.message())
        }
        #expect(error?.kind == .tls)
        #expect(error?.isTransient == false)
        #expect(error?.description.contains("caBundlePath") == true, "\(String(describing: error))")
        await untrusting.close()
    }

    @Test("STARTTLS required but not offered is a TLS error, and nothing is sent")
    func startTLSRequired() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url, startTLS: .required))
        let error = await #expect(throws: SMTPError.self) {
            try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                  message: SMTPTestSupport.message())
        }
        #expect(error?.kind == .tls)
        #expect(error?.description.contains("does not offer STARTTLS") == true, "\(String(describing: error))")
        #expect(try server.messages().isEmpty)
        await sender.close()

        // smtps:// to a plain port: the TLS handshake fails at once.
        let implicit = SMTPSender(configuration: SMTPConfiguration(url: SMTPURL(scheme: .smtps, port: server.port)))
        let handshake = await #expect(throws: SMTPError.self) {
            try await implicit.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                    message: SMTPTestSupport.message())
        }
        #expect(handshake?.kind == .tls)
        #expect(handshake?.libcurlCode == 35)
        #expect(handshake?.description.contains("smtps:// for 465") == true, "\(String(describing: handshake))")
        await implicit.close()
    }

    @Test("smtps:// speaks TLS from the start")
    func implicitTLS() async throws {
        let server = try await SMTPTestServer.start(.recorder, security: .implicitTLS)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url,
                                                                 caBundlePath: server.certificatePath))
        let message = SMTPTestSupport.message()
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"], message: message)
        #expect(try server.messages().map { SMTPTestSupport.Recorded($0).content } == [message])
        await sender.close()

        // smtp:// to a TLS port: the server waits for a TLS hello, libcurl
        // for a greeting, until the connect timeout (which covers it).
        let plain = SMTPSender(configuration: SMTPConfiguration(url: SMTPURL(port: server.port),
                                                                connectTimeout: .seconds(1)))
        let error = await #expect(throws: SMTPError.self) {
            try await plain.send(from: "orders@shop.example", to: ["buyer@example.com"], message: message)
        }
        #expect(error?.kind == .unreachable)
        #expect(error?.description.contains("are host and port right?") == true, "\(String(describing: error))")
        await plain.close()
    }
}
