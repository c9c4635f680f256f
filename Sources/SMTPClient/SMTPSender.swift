import ConnectionThread
import Logging

/// Sends mail to one SMTP server through libcurl, one message at a time,
/// keeping its connection open between messages.
///
/// Concurrency model: one sender = one actor = one thread = at most one SMTP
/// connection. libcurl's easy handles are not thread-safe and
/// `curl_easy_perform` blocks for the whole SMTP conversation, so the actor's
/// executor is a dedicated thread (`ThreadExecutor`) and every libcurl call
/// runs there, never on Swift's cooperative pool. No method suspends once it
/// runs, so concurrent callers are served one whole send at a time, in the
/// order they arrive. For N sends in parallel use N senders:
/// `SMTPSenderPool(size: N, …)`, so that one slow server reply does not hold
/// back the messages behind it.
///
/// Connections: the first send connects (EHLO, STARTTLS, AUTH); later sends
/// reuse the connection while it is alive, so a burst costs one handshake.
/// libcurl checks a kept connection before reusing it (a server restart in
/// between is seen there), drops it after an error, and does not reuse one
/// idle for more than 118 s. If the reused connection turns out dead anyway
/// (the server closed it just then) before the server answered anything,
/// the send runs once more on a new connection: the server cannot have
/// taken any of it. So a server restart between sends costs nothing; one
/// during a send fails that send as `.transient`, and the next connects
/// again.
///
/// A send either succeeds, meaning the server replied 250 to the message and
/// took responsibility for it, or throws `SMTPError`: `isTransient` for
/// "try again later" (unreachable, 4xx, connection broken), `.rejected` for
/// a 5xx refusal of the sender, a recipient or the message. One refused
/// recipient fails the whole send: nobody gets the message. Delivery is at
/// least once: if the connection breaks after the message went out but
/// before the server's 250 came back, the server may have kept it, and
/// sending it again delivers it twice. Each send is bounded by
/// `configuration.timeout`; cancellation does not interrupt one.
public actor SMTPSender {
    private let executor = ThreadExecutor()
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let configuration: SMTPConfiguration
    private let logger: Logger
    /// Made by the first send, replaced only after `close()`.
    private var handle: CurlEasyHandle?

    /// Connects lazily: nothing happens on the network until the first send.
    public init(configuration: SMTPConfiguration, logger: Logger = Logger(label: "oms.smtp")) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        // Here rather than in close(): a stopped executor never runs jobs
        // enqueued later, so a call after close() would wait forever. The
        // handle, if still open, is cleaned up (QUIT) where the actor ends.
        executor.shutdown()
    }

    /// Sends `message` (the RFC 5322 bytes: headers, blank line, body) from
    /// `sender` to every address in `recipients`. Addresses are bare
    /// (`orders@shop.example`, no angle brackets); `sender` may be "" (the
    /// null reverse-path, for notices that must not bounce). Line endings
    /// become CRLF (`MessageBytes.crlfNormalized`); libcurl doubles a "."
    /// that starts a line.
    public func send(from sender: String, to recipients: [String], message: [UInt8]) throws(SMTPError) {
        let envelope = try SMTPEnvelope(sender: sender, recipients: recipients)
        let transfer = SMTPTransfer(configuration: configuration, envelope: envelope,
                                    message: MessageBytes.crlfNormalized(message))
        let handle = try openHandle()
        var outcome = handle.perform(transfer)
        if Self.diedWhileIdle(outcome) {
            logger.debug("kept connection was closed; sending on a new one",
                         metadata: ["error": "\(outcome.text)"])
            outcome = handle.perform(transfer, freshConnection: true)
        }
        guard outcome.succeeded else {
            throw SMTPError(libcurlCode: outcome.libcurlCode, replyCode: outcome.replyCode, text: outcome.text,
                            operation: "send", endpoint: configuration.url.endpoint)
        }
        logger.trace("sent", metadata: [
            "recipients": "\(recipients.count)", "bytes": "\(transfer.message.count)",
            "reused_connection": "\(outcome.reusedConnection)",
        ])
    }

    /// Says QUIT and closes the connection, if one is open. A later send
    /// connects again.
    public func close() {
        handle?.close()
        handle = nil
    }

    private func openHandle() throws(SMTPError) -> CurlEasyHandle {
        if let handle { return handle }
        let handle = try CurlEasyHandle()
        self.handle = handle
        return handle
    }

    /// A reused connection that failed before any reply: the server had
    /// closed it (restart, idle timeout) and the transaction never began.
    static func diedWhileIdle(_ outcome: CurlEasyHandle.Outcome) -> Bool {
        guard !outcome.succeeded, outcome.reusedConnection, outcome.replyCode == 0 else { return false }
        let kind = SMTPError.kind(libcurlCode: outcome.libcurlCode, replyCode: 0)
        return kind == .transient
    }
}
