import URLText

/// Where and how to reach a broker: `amqp://user:password@host:port/vhost`,
/// or over TLS `amqps://user:password@host:port/vhost[?cacertfile=/path/ca.pem]`.
///
/// The vhost is percent-decoded (`%2F` is `/`, the default vhost); an empty
/// path also means `/`. User and password default to `guest`, the port to
/// 5672 (5671 for amqps).
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    /// TLS to the broker. Its certificate must chain to `caCertificateFile`
    /// (RabbitMQ's URI query parameter `cacertfile`), or to the system's CA
    /// bundle, and name the URL's host: there is no way to turn checks off.
    public struct TLS: Sendable, Equatable {
        public var caCertificateFile: String?

        public init(caCertificateFile: String? = nil) {
            self.caCertificateFile = caCertificateFile
        }
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// nil for plain `amqp://`.
    public var tls: TLS?

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest",
                password: String = "guest", virtualHost: String = "/", tls: TLS? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
        self.tls = tls
    }

    public init(_ string: String) throws(AMQPError) {
        func invalid(_ why: String) -> AMQPError {
            AMQPError(.invalidURL, "\(why) in AMQP URL (expected amqp://user:password@host:port/vhost "
                          + "or amqps://…/vhost?cacertfile=/path/ca.pem)", operation: "parse URL")
        }
        guard let schemeEnd = string.firstRange(of: "://") else { throw invalid("missing scheme") }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "amqp" || scheme == "amqps" else { throw invalid("unknown scheme '\(scheme)'") }
        var rest = Substring(string[schemeEnd.upperBound...])
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        self.init(port: scheme == "amqps" ? 5671 : 5672, tls: scheme == "amqps" ? TLS() : nil)
        if let query {
            guard tls != nil else { throw invalid("query parameters (TLS settings) without amqps") }
            tls?.caCertificateFile = try Self.caCertificateFile(in: query, invalid: invalid)
        }
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

    /// The comma-separated URLs of a setting (`OMS_AMQP_URL`): one broker,
    /// or the nodes of a cluster.
    public static func list(_ setting: String) throws(AMQPError) -> [AMQPURL] {
        var urls: [AMQPURL] = []
        for part in setting.split(separator: ",", omittingEmptySubsequences: false) {
            urls.append(try AMQPURL(String(part)))
        }
        return urls
    }

    /// `cacertfile=PATH`, the one query parameter understood.
    private static func caCertificateFile(in query: Substring, invalid: (String) -> AMQPError)
        throws(AMQPError) -> String {
        let pair = query.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard pair.count == 2, pair[0] == "cacertfile", let path = URLText.percentDecoded(pair[1]), !path.isEmpty
        else { throw invalid("unknown query '\(query)' (the one parameter is cacertfile=/path/ca.pem)") }
        return path
    }

    /// The URL with the password hidden, for logs and error messages.
    public var description: String {
        let vhost = virtualHost == "/" ? "%2F" : virtualHost
        let ca = tls?.caCertificateFile.map { "?cacertfile=\($0)" } ?? ""
        return "\(tls == nil ? "amqp" : "amqps")://\(user):***@\(URLText.endpoint(host: host, port: port))/\(vhost)\(ca)"
    }
}
