import Notifications

/// How notify hands emails to the mail server: through a connection of its
/// own, once one is free, so that its lease runs while it sends and not while
/// it waits (`SMTPSenderPool` in the worker, a recording fake in tests).
public protocol Mailer: Sendable {
    /// Runs `body` once a connection is free; `send` delivers one email through it.
    func withConnection<Result: Sendable>(
        _ body: @Sendable (_ send: @Sendable (EmailMessage) async throws -> Void) async throws -> Result
    ) async throws -> Result
}
