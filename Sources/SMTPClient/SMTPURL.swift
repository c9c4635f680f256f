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
        var hostAndPort = authority
        if let at = authority.lastIndex(of: "@") {
            try parseCredentials(authority[..<at])
            hostAndPort = authority[authority.index(after: at)...]
        }
        try parseHostAndPort(hostAndPort)
    }

    /// The URL with the password hidden, for logs and error messages.
    public var description: String {
        let credentials = user.map { "\($0):***@" } ?? ""
        return "\(scheme.rawValue)://\(credentials)\(endpoint)"
    }

    /// `host:port`, the host bracketed when it is an IPv6 address.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private mutating func parseCredentials(_ credentials: Substring) throws(SMTPError) {
        guard let colon = credentials.firstIndex(of: ":") else {
            throw Self.invalid("user without a password (write smtp://user:password@host)")
        }
        guard let user = URLText.percentDecoded(credentials[..<colon]) else {
            throw Self.invalid("bad percent-encoding in the user")
        }
        guard let password = URLText.percentDecoded(credentials[credentials.index(after: colon)...]) else {
            throw Self.invalid("bad percent-encoding in the password")
        }
        switch (user.isEmpty, password.isEmpty) {
        case (true, true): return
        case (true, false): throw Self.invalid("password without a user (write smtp://user:password@host)")
        case (false, true): throw Self.invalid("user '\(user)' has an empty password")
        case (false, false):
            self.user = user
            self.password = password
        }
    }

    private mutating func parseHostAndPort(_ text: Substring) throws(SMTPError) {
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw Self.invalid("unclosed '[' in the host") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let afterHost = text[text.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":") else { throw Self.invalid("unexpected '\(afterHost)' after the host") }
                portText = afterHost.dropFirst()
            }
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw Self.invalid("'\(host)' in brackets is not an IPv6 address")
            }
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw Self.invalid("IPv6 hosts go in brackets: smtp://[::1]:25") }
            host = String(parts[0])
            portText = parts.count == 2 ? parts[1] : nil
            // Letters, digits, '.', '-' and '_': a name or an IPv4 address,
            // nothing libcurl could read as another part of the URL.
            let allowed = host.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
            }
            guard allowed else { throw Self.invalid("bad character in the host '\(host)'") }
        }
        guard !host.isEmpty else { throw Self.invalid("missing host") }
        if let portText {
            guard let port = URLText.decimal(portText, maxDigits: 5), (1...65535).contains(port) else {
                throw Self.invalid("bad port '\(portText)' (1-65535)")
            }
            self.port = port
        }
    }

    /// Digits only: `Int("+25")` would accept a sign.


    private static func invalid(_ why: String) -> SMTPError {
        SMTPError(.invalidURL, why, operation: "parse URL")
    }
}
