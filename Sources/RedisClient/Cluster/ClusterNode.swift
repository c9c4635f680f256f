import URLText

/// A node of a Redis Cluster as the cluster names it: `host:port`.
public struct ClusterNode: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port` as in MOVED and ASK; the port follows the last colon, so
    /// an IPv6 host needs no brackets.
    init?(_ text: Substring) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port) else { return nil }
        host = String(text[..<colon])
        guard !host.isEmpty else { return nil }
        self.port = port
    }

    /// `base` (credentials, database) pointed at this node.
    func url(from base: RedisURL) -> RedisURL {
        var url = base
        url.host = host
        url.port = port
        return url
    }

    public var description: String { URLText.endpoint(host: host, port: port) }
}
