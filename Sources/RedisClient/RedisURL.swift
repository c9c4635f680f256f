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
        do {
            let parts = try URLText.authority(authority, ipv6Example: "redis://[::1]:6379")
            host = parts.host
            port = parts.port ?? port
            if let credentials = parts.credentials {
                (user, password) = try Self.userAndPassword(credentials)
            }
        } catch {
            throw Self.invalid(error.reason)
        }
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
        URLText.endpoint(host: host, port: port)
    }

    /// A password alone is `AUTH password`; a user needs a password.
    private static func userAndPassword(_ credentials: Substring) throws(URLText.Invalid) -> (String?, String?) {
        let (user, password) = try URLText.userAndPassword(
            credentials, noColon: "user without a password (for a password alone write redis://:password@host)")
        guard !password.isEmpty || user.isEmpty else {
            throw URLText.Invalid(reason: "user '\(user)' has an empty password")
        }
        return (user.isEmpty ? nil : user, password.isEmpty ? nil : password)
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

    private static func invalid(_ why: String) -> RedisError {
        RedisError(.invalidURL, why, command: "parse URL")
    }
}
