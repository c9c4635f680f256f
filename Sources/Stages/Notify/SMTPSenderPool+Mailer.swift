import Notifications
import SMTPClient

extension SMTPSenderPool: Mailer {
    public func withConnection<Result: Sendable>(
        _ body: @Sendable (_ send: @Sendable (EmailMessage) async throws -> Void) async throws -> Result
    ) async throws -> Result {
        try await withSender { sender in
            try await body { email in
                try await sender.send(from: email.mailFrom, to: email.recipients, message: email.bytes)
            }
        }
    }
}
