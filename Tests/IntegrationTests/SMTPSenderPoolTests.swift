import Foundation
import SMTPClient
import Synchronization
import Testing

@Suite("SMTP sender pool")
struct SMTPSenderPoolTests {
    @Test("50 messages sent at once through a pool of 4 all arrive, over 4 connections")
    func fiftyThroughFour() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let pool = SMTPSenderPool(size: 4, configuration: SMTPConfiguration(url: server.url))
        let messages = (0..<50).map { SMTPTestSupport.message(subject: "order \($0)", body: "Order \($0).\r\n") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, message) in messages.enumerated() {
                group.addTask {
                    try await pool.send(from: "orders@shop.example", to: ["buyer\(index)@example.com"],
                                        message: message)
                }
            }
            try await group.waitForAll()
        }

        let recorded = try server.messages().map(SMTPTestSupport.Recorded.init)
        #expect(recorded.count == 50)
        #expect(Set(recorded.map(\.content)) == Set(messages), "every message arrived once, unchanged")
        #expect(Set(recorded.map(\.peer)).count == 4, "one connection per sender: \(Set(recorded.map(\.peer)))")
        await pool.close()
    }

    @Test("a slow server reply holds back only its own sender")
    func slowReplyDoesNotBlockOthers() async throws {
        let server = try await SMTPTestServer.start(.recorder)
        defer { server.stop() }
        let pool = SMTPSenderPool(size: 4, configuration: SMTPConfiguration(url: server.url))
        let slowSent = Mutex(false)
        // The recorder holds its answer to RCPT "slow…" until released: the
        // others must get through while it is held, however slow the machine.
        let slow = Task {
            try await pool.send(from: "orders@shop.example", to: ["slow@example.com"],
                                message: SMTPTestSupport.message(subject: "slow"))
            slowSent.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(300))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask {
                    try await pool.send(from: "orders@shop.example", to: ["buyer\(index)@example.com"],
                                        message: SMTPTestSupport.message(subject: "order \(index)"))
                }
            }
            try await group.waitForAll()
        }
        #expect(slowSent.withLock { $0 } == false, "the slow send was still held when the 12 others were done")
        #expect(try server.messages().count == 12)
        try server.releaseSlowRecipients()
        try await slow.value
        #expect(try server.messages().count == 13)
        await pool.close()
    }
}
