import Foundation
import SMTPClient
import Testing

@Suite("SMTP sender survives a server restart")
struct SMTPServerRestartTests {
    @Test("server stopped and started between two sends: the second send succeeds")
    func restartBetweenSends() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: SMTPTestSupport.message(subject: "before"))
        try await server.restart()
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: SMTPTestSupport.message(subject: "after"))

        let recorded = try server.messages().map(SMTPTestSupport.Recorded.init)
        #expect(recorded.count == 2)
        #expect(Set(recorded.map(\.peer)).count == 2, "a new connection after the restart")
        await sender.close()
    }

    @Test("server away: the send fails as unreachable; back again: the next one succeeds")
    func serverAwayThenBack() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: SMTPTestSupport.message(subject: "before"))
        server.terminate()
        let error = await #expect(throws: SMTPError.self) {
            try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                                  message: SMTPTestSupport.message(subject: "while away"))
        }
        #expect(error?.kind == .unreachable)
        #expect(error?.isTransient == true)

        try await server.restart()
        try await sender.send(from: "orders@shop.example", to: ["buyer@example.com"],
                              message: SMTPTestSupport.message(subject: "after"))
        let subjects = try server.messages().map { String(decoding: $0, as: UTF8.self) }
        #expect(subjects.count == 2)
        #expect(subjects.contains { $0.contains("Subject: after\r\n") })
        await sender.close()
    }

    @Test("a kept connection that dies as it is reused, before any reply: the send goes again on a new one")
    func staleConnection() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let sender = SMTPSender(configuration: SMTPConfiguration(url: server.url))
        for subject in ["first", "second", "third"] {
            try await sender.send(from: "stale@shop.example", to: ["buyer@example.com"],
                                  message: SMTPTestSupport.message(subject: subject))
        }
        let recorded = try server.messages().map(SMTPTestSupport.Recorded.init)
        #expect(recorded.count == 3)
        #expect(Set(recorded.map(\.peer)).count == 3, "each send after the first on a new connection")
        await sender.close()
    }
}
