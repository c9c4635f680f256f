import URLText

/// Where and how to reach a broker: `amqp://user:password@host:port/vhost`.
///
/// The vhost is percent-decoded (`%2F` is `/`, the default vhost); an empty
/// path also means `/`. User and password default to `guest`, the port to 5672.
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest",
                password: String = "guest", virtualHost: String = "/") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
    }

    public init(_ string: String) throws(AMQPError) {
        func invalid(_ why: String) -> AMQPError {
            AMQPError(.invalidURL, "\(why) in AMQP URL (expected amqp://user:password@host:port/vhost)",
                      operation: "parse URL")
        }
        guard let schemeEnd = string.firstRange(of: "://") else { throw invalid("missing scheme") }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "amqp" else {
            throw invalid(scheme == "amqps" ? "amqps (TLS) is not supported" : "unknown scheme '\(scheme)'")
        }
        var rest = Substring(string[schemeEnd.upperBound...])
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        self.init()
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = URLText.percentDecoded(parts[0]) else { throw invalid("bad percent-encoding in user") }
            self.user = user
            if parts.count == 2 {
                guard let password = URLText.percentDecoded(parts[1]) else {
                    throw invalid("bad percent-encoding in password")
                }
                self.password = password
            }
        }
        if let colon = rest.lastIndex(of: ":") {
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
                throw invalid("bad port '\(rest[rest.index(after: colon)...])'")
            }
            self.port = port
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { throw invalid("missing host") }
        host = String(rest)
        if !path.isEmpty {
            guard let vhost = URLText.percentDecoded(path) else { throw invalid("bad percent-encoding in vhost") }
            virtualHost = vhost
        }
    }

    /// The URL with the password hidden, for logs and error messages.
    public var description: String {
        let vhost = virtualHost == "/" ? "%2F" : virtualHost
        return "amqp://\(user):***@\(host):\(port)/\(vhost)"
    }
}
