import SMTPClient
import Testing

@Suite("SMTP sender pool checkout")
struct SMTPSenderPoolCheckoutTests {
    /// Steps in the order they happened, from several tasks.
    actor Steps {
        private(set) var all: [String] = []
        func add(_ step: String) { all.append(step) }
    }

    @Test("withSender runs its body only once a sender is free: with one sender the second body starts after the first ends")
    func bodyWaitsForFreeSender() async throws {
        // Senders connect lazily; these bodies never send, so no server is needed.
        let pool = SMTPSenderPool(size: 1, configuration: SMTPConfiguration(url: try SMTPURL("smtp://127.0.0.1:9")))
        let steps = Steps()
        let (firstBegan, began) = AsyncStream<Void>.makeStream()
        let first = Task {
            await pool.withSender { _ in
                await steps.add("first begins")
                began.yield()
                try? await Task.sleep(for: .milliseconds(300))
                await steps.add("first ends")
            }
        }
        for await _ in firstBegan { break }
        await pool.withSender { _ in await steps.add("second begins") }
        await first.value
        #expect(await steps.all == ["first begins", "first ends", "second begins"])
    }

    @Test("a body that throws frees its sender: the next body runs")
    func throwingBodyFreesSender() async throws {
        struct Refused: Error {}
        let pool = SMTPSenderPool(size: 1, configuration: SMTPConfiguration(url: try SMTPURL("smtp://127.0.0.1:9")))
        await #expect(throws: Refused.self) {
            try await pool.withSender { _ throws(Refused) in throw Refused() }
        }
        #expect(await pool.withSender { _ in 42 } == 42)
    }
}
