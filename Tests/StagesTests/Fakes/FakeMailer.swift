import Notifications
import Stages

/// A mail server in memory: keeps what it was sent, or refuses every email with `failure`.
actor FakeMailer: Mailer {
    private(set) var sent: [EmailMessage] = []
    private let failure: (any Error)?

    init(failure: (any Error)? = nil) {
        self.failure = failure
    }

    func withConnection<Result: Sendable>(
        _ body: @Sendable (_ send: @Sendable (EmailMessage) async throws -> Void) async throws -> Result
    ) async throws -> Result {
        try await body { email in try await self.accept(email) }
    }

    private func accept(_ email: EmailMessage) throws {
        if let failure { throw failure }
        sent.append(email)
    }
}
