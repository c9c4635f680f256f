import Logging

/// N senders to one server, so that N messages go out in parallel: each
/// send takes a sender that is free (the most recently used first, whose
/// connection is warm) and waits, in arrival order, when all N are busy.
///
/// Each sender is a thread and at most one SMTP connection (see
/// `SMTPSender`), so `size` bounds both the threads and the connections the
/// server sees. A sales peak with a slow server then waits on N replies at
/// once instead of one at a time. Senders connect lazily and the most
/// recently used is handed out first, so a quiet pool keeps using one warm
/// connection; libcurl does not reuse one idle for more than 118 s.
public actor SMTPSenderPool {
    public nonisolated let size: Int
    public nonisolated let configuration: SMTPConfiguration
    private let senders: [SMTPSender]
    /// Free senders; the last one is handed out next.
    private var free: [SMTPSender]
    private var waiting: [CheckedContinuation<SMTPSender, Never>] = []

    public init(size: Int, configuration: SMTPConfiguration, logger: Logger = Logger(label: "oms.smtp")) {
        precondition(size > 0, "an SMTP sender pool needs at least one sender")
        self.size = size
        self.configuration = configuration
        senders = (0..<size).map { _ in SMTPSender(configuration: configuration, logger: logger) }
        free = senders.reversed()
    }

    /// `SMTPSender.send` on a free sender; see there. A send waiting for a
    /// sender keeps waiting if its task is cancelled (each send ahead of it
    /// ends within the configured timeout).
    public func send(from sender: String, to recipients: [String], message: [UInt8]) async throws(SMTPError) {
        try await withSender { smtp throws(SMTPError) in
            try await smtp.send(from: sender, to: recipients, message: message)
        }
    }

    /// Runs `body` with a sender of its own once one is free (waiting like
    /// `send`), and frees the sender when `body` returns. For work that must
    /// happen only when the email can go at once: notify takes its
    /// one-sender-per-event lease in here, so that the lease's time runs
    /// while sending, not while queueing for a sender.
    public func withSender<Result: Sendable, Failure: Error>(
        _ body: @Sendable (SMTPSender) async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let smtp = await checkOut()
        defer { checkIn(smtp) }
        return try await body(smtp)
    }

    /// Closes every sender's connection once its current send (if any) is
    /// over. The pool stays usable: later sends connect again.
    public func close() async {
        for sender in senders { await sender.close() }
    }

    private func checkOut() async -> SMTPSender {
        if let sender = free.popLast() { return sender }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func checkIn(_ sender: SMTPSender) {
        if waiting.isEmpty {
            free.append(sender)
        } else {
            waiting.removeFirst().resume(returning: sender)
        }
    }
}
