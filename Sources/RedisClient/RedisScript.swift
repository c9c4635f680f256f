/// A Lua script, run by SHA with `EVALSHA`.
///
/// A connection loads it with `SCRIPT LOAD` the first time it is used and
/// remembers its SHA. When the server answers NOSCRIPT (its script cache was
/// flushed, or it restarted), the connection loads it again and re-runs the
/// command, once.
public struct RedisScript: Sendable, Hashable {
    /// For logs and errors ("EVALSHA reserve").
    public let name: String
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}
