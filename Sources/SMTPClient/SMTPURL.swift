import URLText
/// Where and how to reach an SMTP server: `smtp://[user:password@]host[:port]`
/// (plain, upgraded with STARTTLS as `SMTPConfiguration.startTLS` says) or
/// `smtps://…` (TLS from the first byte).
///
/// User and password are percent-decoded (`smtp://oms%40shop:p%3Ass@mail`)
/// and are sent with AUTH; both or neither. The port defaults to 25 for
/// smtp and 465 for smtps (submission with STARTTLS is usually 587: write
/// it). IPv6 hosts go in brackets: `smtp://[::1]:1025`. The EHLO name is
/// `SMTPConfiguration.heloDomain`, not a path, so a path is refused.
public struct SMTPURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable {
        /// Plain TCP, upgraded with STARTTLS per `SMTPConfiguration.startTLS`.
        case smtp
        /// TLS from the start (RFC 8314 "implicit TLS").
        case smtps

        public var defaultPort: Int { self == .smtp ? 25 : 465 }
    }

    public var scheme: Scheme
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?

    public init(scheme: Scheme = .smtp, host: String = "127.0.0.1", port: Int? = nil, user: String? = nil,
                password: String? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? scheme.defaultPort
        self.user = user
        self.password = password
    }

    public init(_ string: String) throws(SMTPError) {
        guard let schemeEnd = string.firstRange(of: "://") else {
            throw Self.invalid("missing smtp:// or smtps:// scheme")
        }
        let schemeText = string[..<schemeEnd.lowerBound].lowercased()
        guard let scheme = Scheme(rawValue: schemeText) else { throw Self.invalid("unknown scheme '\(schemeText)'") }
        let rest = string[schemeEnd.upperBound...]
        guard !rest.contains(where: { $0 == "?" || $0 == "#" }) else {
            throw Self.invalid("query parameters and fragments are not supported")
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard path.isEmpty || path == "/" else {
            throw Self.invalid("unexpected path '\(path)' (the EHLO name is a setting, not part of the URL)")
        }
        self.init(scheme: scheme)
        do {
            let parts = try URLText.authority(authority, ipv6Example: "smtp://[::1]:25")
            (host, port) = (parts.host, parts.port ?? scheme.defaultPort)
            if let credentials = parts.credentials {
                (user, password) = try Self.userAndPassword(credentials)
            }
        } catch {
            throw Self.invalid(error.reason)
        }
    }

    /// The URL with the password hidden, for logs and error messages.
    public var description: String {
        let credentials = user.map { "\($0):***@" } ?? ""
        return "\(scheme.rawValue)://\(credentials)\(endpoint)"
    }

    /// `host:port`, the host bracketed when it is an IPv6 address.
    public var endpoint: String {
        URLText.endpoint(host: host, port: port)
    }

    /// Both or neither: AUTH needs a user and a password.
    private static func userAndPassword(_ credentials: Substring) throws(URLText.Invalid) -> (String?, String?) {
        let (user, password) = try URLText.userAndPassword(
            credentials, noColon: "user without a password (write smtp://user:password@host)")
        switch (user.isEmpty, password.isEmpty) {
        case (true, true): return (nil, nil)
        case (true, false): throw URLText.Invalid(reason: "password without a user (write smtp://user:password@host)")
        case (false, true): throw URLText.Invalid(reason: "user '\(user)' has an empty password")
        case (false, false): return (user, password)
        }
    }

    private static func invalid(_ why: String) -> SMTPError {
        SMTPError(.invalidURL, why, operation: "parse URL")
    }
}
