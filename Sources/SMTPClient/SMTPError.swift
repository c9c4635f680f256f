/// A failure of the SMTP layer: what kind, the server's reply code when one
/// came (CURLINFO_RESPONSE_CODE), libcurl's error text (CURLOPT_ERRORBUFFER,
/// e.g. "RCPT failed: 550") and result code, and the operation ("send").
///
/// Addresses and message bytes never appear here: they are personal data.
/// libcurl's texts name the SMTP command and the code, not its arguments.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The URL cannot be used; fix the configuration.
        case invalidURL
        /// The sender or a recipient cannot be put in an SMTP command (line
        /// break, angle bracket, no recipient at all): never sent, fix the data.
        case invalidAddress
        /// No SMTP conversation could start: connection refused, host
        /// unknown, or no answer within the timeout. Try again later.
        case unreachable
        /// The server said "not now" (a 4xx reply), or the connection broke
        /// mid-session. Try again later. After a 4xx nothing was delivered;
        /// after a broken connection the server never confirmed the message
        /// (it may, rarely, have kept it: a retry then delivers it twice).
        case transient
        /// The server refused the sender, a recipient or the message for
        /// good (a 5xx reply). Sending it again will fail the same way.
        case rejected
        /// The server refused the user or password, or wants a login.
        case authentication
        /// STARTTLS was required but not offered, or the TLS handshake or the
        /// certificate check failed.
        case tls
        /// libcurl failed for a reason of its own (out of memory, missing
        /// feature): not the server's doing, and not worth retrying.
        case library
    }

    public var kind: Kind
    /// The server's last SMTP reply code (550, 451…), when it sent one.
    public var replyCode: Int?
    /// libcurl's error text, or what is wrong with the URL or an address.
    public var text: String
    /// libcurl's result code (CURLcode: 7 couldn't connect, 28 timeout…).
    public var libcurlCode: Int?
    /// What was being done: "send", "parse URL", "check addresses".
    public var operation: String
    /// `host:port` of the server, when there is one.
    public var endpoint: String?

    public init(_ kind: Kind, _ text: String, replyCode: Int? = nil, libcurlCode: Int? = nil, operation: String,
                endpoint: String? = nil) {
        self.kind = kind
        self.text = text
        self.replyCode = replyCode
        self.libcurlCode = libcurlCode
        self.operation = operation
        self.endpoint = endpoint
    }

    /// Whether the same send may succeed later, unchanged: the server was
    /// away, busy, or said 4xx. Rejections, bad addresses and configuration
    /// problems (URL, login, TLS) fail again until someone fixes them.
    public var isTransient: Bool {
        kind == .unreachable || kind == .transient
    }

    public var description: String {
        let server = "SMTP server at \(endpoint ?? "?")"
        let details = [replyCode.map(String.init), text.isEmpty ? nil : text].compactMap { $0 }
            .joined(separator: ": ")
        switch kind {
        case .invalidURL:
            return "invalid SMTP URL: \(text) (expected smtp://[user:password@]host[:port] or smtps://…)"
        case .invalidAddress:
            return "\(operation): \(text); the message was not sent"
        case .unreachable where libcurlCode == Self.couldNotResolveHost:
            return "cannot resolve the host of \(server) (\(details)): check the host in the URL"
        case .unreachable where libcurlCode == Self.couldNotConnect:
            return "\(server) refused the connection: is it running? (scripts/services up) (\(details))"
        case .unreachable:
            return "\(server) did not answer (\(details)): is it running, and are host and port right? "
                + "(scripts/services up)"
        case .transient where replyCode.map { (400...499).contains($0) } == true:
            return "\(operation): \(server) deferred the message (\(details)); try again later"
        case .transient:
            return "\(operation): the connection to \(server) broke (\(details)) before it confirmed the message; "
                + "try again later"
        case .rejected:
            return "\(operation): \(server) rejected the message for good (\(details)): "
                + "check the sender and recipient addresses and the message; sending it again will not help"
        case .authentication where replyCode == 530:
            return "\(server) requires a login (\(details)): put user:password in the URL"
        case .authentication:
            return "\(server) refused the login (\(details)): check the user and password in the URL"
        case .tls where libcurlCode == Self.starttlsUnavailable:
            return "\(server) does not offer STARTTLS (\(details)): use smtps://, or startTLS .whenOffered "
                + "if plain text is acceptable"
        case .tls:
            return "TLS with \(server) failed (\(details)): check the certificate authorities (caBundlePath), "
                + "and the scheme for the port (smtps:// for 465, smtp:// with STARTTLS for 25 and 587)"
        case .library:
            return "\(operation): libcurl failed (\(libcurlCode.map { "CURLcode \($0): " } ?? "")\(text))"
        }
    }
}
