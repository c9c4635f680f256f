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
        let parts: URLText.Authority
        do {
            parts = try URLText.authority(rest, ipv6Example: "amqp://[::1]:5672")
        } catch {
            throw invalid(error.reason)
        }
        host = parts.host
        port = parts.port ?? port
        if let credentials = parts.credentials {
            // A user alone keeps the default password.
            let pair = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = URLText.percentDecoded(pair[0]) else { throw invalid("bad percent-encoding in user") }
            self.user = user
            if pair.count == 2 {
                guard let password = URLText.percentDecoded(pair[1]) else {
                    throw invalid("bad percent-encoding in password")
                }
                self.password = password
            }
        }
        if !path.isEmpty {
            guard let vhost = URLText.percentDecoded(path) else { throw invalid("bad percent-encoding in vhost") }
            virtualHost = vhost
        }
    }

    /// The URL with the password hidden, for logs and error messages.
    public var description: String {
        let vhost = virtualHost == "/" ? "%2F" : virtualHost
        return "amqp://\(user):***@\(URLText.endpoint(host: host, port: port))/\(vhost)"
    }
}
