import URLText
/// Where and how to reach Redis: `redis://[user:password@]host:port/db`.
///
/// User and password are percent-decoded; `redis://:password@host` gives a
/// password alone (`AUTH password`). The port defaults to 6379, the database
/// to 0. IPv6 hosts go in brackets: `redis://[::1]:6379`.
public struct RedisURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int

    public init(host: String = "127.0.0.1", port: Int = 6379, user: String? = nil, password: String? = nil,
                database: Int = 0) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    public init(_ string: String) throws(RedisError) {
        guard let schemeEnd = string.firstRange(of: "://") else { throw Self.invalid("missing redis:// scheme") }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            throw Self.invalid(scheme == "rediss" ? "rediss (TLS) is not supported" : "unknown scheme '\(scheme)'")
        }
        let rest = string[schemeEnd.upperBound...]
        guard !rest.contains(where: { $0 == "?" || $0 == "#" }) else {
            throw Self.invalid("query parameters and fragments are not supported")
        }
        let authority = rest.prefix { $0 != "/" }
        self.init()
        var hostAndPort = authority
        if let at = authority.lastIndex(of: "@") {
            try parseCredentials(authority[..<at])
            hostAndPort = authority[authority.index(after: at)...]
        }
        try parseHostAndPort(hostAndPort)
        try parseDatabase(rest.dropFirst(authority.count))
    }

    /// The URL with the password hidden, for logs and error messages.
    public var description: String {
        let credentials = switch (user, password) {
        case (let user?, _): "\(user):***@"
        case (nil, _?): ":***@"
        case (nil, nil): ""
        }
        return "redis://\(credentials)\(endpoint)/\(database)"
    }

    /// `host:port`, the host bracketed when it is an IPv6 address.
    var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private mutating func parseCredentials(_ credentials: Substring) throws(RedisError) {
        guard let colon = credentials.firstIndex(of: ":") else {
            throw Self.invalid("user without a password (for a password alone write redis://:password@host)")
        }
        guard let user = URLText.percentDecoded(credentials[..<colon]) else {
            throw Self.invalid("bad percent-encoding in the user")
        }
        guard let password = URLText.percentDecoded(credentials[credentials.index(after: colon)...]) else {
            throw Self.invalid("bad percent-encoding in the password")
        }
        guard !password.isEmpty || user.isEmpty else {
            throw Self.invalid("user '\(user)' has an empty password")
        }
        self.user = user.isEmpty ? nil : user
        self.password = password.isEmpty ? nil : password
    }

    private mutating func parseHostAndPort(_ text: Substring) throws(RedisError) {
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw Self.invalid("unclosed '[' in the host") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let afterHost = text[text.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":") else { throw Self.invalid("unexpected '\(afterHost)' after the host") }
                portText = afterHost.dropFirst()
            }
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw Self.invalid("IPv6 hosts go in brackets: redis://[::1]:6379") }
            host = String(parts[0])
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else { throw Self.invalid("missing host") }
        if let portText {
            guard let port = URLText.decimal(portText, maxDigits: 10), (1...65535).contains(port) else {
                throw Self.invalid("bad port '\(portText)' (1-65535)")
            }
            self.port = port
        }
    }

    /// `path` is what follows the authority: empty, "/" or "/<db>".
    private mutating func parseDatabase(_ path: Substring) throws(RedisError) {
        let text = path.dropFirst()
        guard !text.isEmpty else { return }
        guard let database = URLText.decimal(text, maxDigits: 10), database <= Int32.max else {
            throw Self.invalid("bad database '\(text)' (a number from 0)")
        }
        self.database = database
    }

    /// Digits only: `Int("+5")` would accept a sign.


    private static func invalid(_ why: String) -> RedisError {
        RedisError(.invalidURL, why, command: "parse URL")
    }
}
