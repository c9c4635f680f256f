/// How an `SMTPSender` reaches its server and how long it waits.
public struct SMTPConfiguration: Sendable, Hashable {
    /// Whether an `smtp://` connection is upgraded with STARTTLS. (`smtps://`
    /// is TLS from the start whatever this says.)
    public enum STARTTLS: Sendable, Hashable {
        /// Upgrade when the server offers STARTTLS, else go on in plain text.
        case whenOffered
        /// Upgrade, or fail with `SMTPError.Kind.tls` if the server does not offer it.
        case required
        /// Never upgrade: plain text throughout (a local sink, a test server).
        case never
    }

    public var url: SMTPURL
    /// The default, nil, means `.required` when the URL has a password and
    /// `.whenOffered` otherwise: whoever can strip the server's STARTTLS offer
    /// must not get the password in plain text unless `.never` says so.
    public var startTLS: STARTTLS
    /// The name given in EHLO; nil: this machine's host name (libcurl's default).
    public var heloDomain: String?
    /// For libcurl's connect phase: TCP connect, TLS handshake (smtps), the
    /// server's greeting, EHLO, STARTTLS and AUTH. A server that accepts
    /// the connection but never greets fails after this long, `.unreachable`.
    public var connectTimeout: Duration
    /// For one whole send: connect, greeting, EHLO, STARTTLS, AUTH, MAIL,
    /// RCPT, DATA and the server's final reply. It also bounds how long a
    /// sender's thread can be blocked, so how long a shutdown waits for it.
    public var timeout: Duration
    /// PEM file of the certificate authorities to trust for the server's
    /// certificate; nil: the system's. The certificate is always verified.
    public var caBundlePath: String?

    public init(url: SMTPURL, startTLS: STARTTLS? = nil, heloDomain: String? = nil,
                connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(30),
                caBundlePath: String? = nil) {
        self.url = url
        self.startTLS = startTLS ?? (url.password == nil ? .whenOffered : .required)
        self.heloDomain = heloDomain
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.caBundlePath = caBundlePath
    }
}
