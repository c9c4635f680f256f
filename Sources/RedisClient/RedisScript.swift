/// A Lua script, run by SHA with `EVALSHA`.
///
/// The first time a connection uses it, it sends `SCRIPT LOAD` and runs the
/// command by source in the same write, and remembers the SHA. When the
/// server answers NOSCRIPT (its script cache was flushed), the connection
/// runs the command again by source, once.
public struct RedisScript: Sendable, Hashable {
    /// For logs and errors ("EVALSHA reserve").
    public let name: String
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}
