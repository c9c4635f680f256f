/// A failure of the Redis layer: what kind, hiredis's `errstr` or the
/// server's error text, and the command's name ("GET", "EVALSHA reserve").
/// Argument values never appear here: they may hold secrets.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case invalidURL
        /// No connection could be made: refused, timed out, unknown host.
        case unreachable
        /// The server refused the user name or password, or wants one.
        case authentication
        /// The ACL user may not run this command or touch this key (NOPERM).
        /// Not a refusal of the step: it passes once the user is granted it.
        case permission
        /// The connection broke while the command was out: it may or may not have run.
        case connectionLost
        /// No reply within the command timeout; the connection is dropped.
        case timeout
        /// The bytes that came back are not RESP: probably not a Redis server.
        case protocolError
        /// The server answered with an error reply.
        case server
        /// NOSCRIPT even after loading the script again.
        case scriptMissing
        /// `close()` was called.
        case closed
        /// Refused before it was sent: its keys lie in several slots of a Redis Cluster.
        case crossSlot
    }

    public var kind: Kind
    /// hiredis's `errstr`, the server's error reply, or what is wrong with the URL.
    public var message: String
    /// The command's name, never its arguments; "connect" while connecting.
    public var command: String
    /// `host:port` of the server, when there is one.
    public var endpoint: String?

    public init(_ kind: Kind, _ message: String, command: String, endpoint: String? = nil) {
        self.kind = kind
        self.message = message
        self.command = command
        self.endpoint = endpoint
    }

    /// An error reply from the server, classified by its leading code.
    init(serverReply message: String, command: String, endpoint: String) {
        let kind: Kind = switch message.prefix(while: { $0 != " " }) {
        case "NOSCRIPT": .scriptMissing
        case "NOAUTH", "WRONGPASS": .authentication
        case "NOPERM": .permission
        default: .server
        }
        self.init(kind, message, command: command, endpoint: endpoint)
    }

    /// Whether the connection this came from is unusable afterwards.
    var breaksConnection: Bool {
        [.connectionLost, .timeout, .protocolError].contains(kind)
    }

    /// Whether connecting again later may succeed.
    var isTransient: Bool {
        [.unreachable, .connectionLost, .timeout].contains(kind)
    }

    /// An error reply that the same command will get again: a script that
    /// refuses a step (`ERR commit: the hold … does not match`), a wrong type.
    /// Not a server that is busy, loading, out of memory or failing over,
    /// which may take the same command later.
    public var isRefusal: Bool {
        kind == .server && !Self.passingReplies.contains(String(message.prefix { $0 != " " }))
    }

    private static let passingReplies: Set<String> = [
        "OOM", "LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY", "NOREPLICAS", "MOVED", "ASK",
    ]

    public var description: String {
        let server = "Redis at \(endpoint ?? "?")"
        switch kind {
        case .invalidURL:
            return "invalid Redis URL: \(message) (expected redis://[user:password@]host:port/db)"
        case .unreachable:
            return "cannot connect to \(server): \(message) — is redis-server running? (scripts/services up)"
        case .authentication where message.hasPrefix("NOAUTH"):
            return "\(server) requires a password (\(message)) — put it in the URL: redis://:password@host:port/db"
        case .authentication:
            return "\(server) refused the credentials (\(message)) — check the user and password in the URL"
        case .permission:
            return "\(command) refused by \(server): \(message) — grant the URL's user this command and key "
                + "in its ACL (scripts/services makes oms-worker's)"
        case .connectionLost:
            return "\(command): connection to \(server) lost (\(message)); the command may or may not have run"
        case .timeout:
            return "\(command): no reply from \(server) in time (\(message)); "
                + "raise the command timeout or check the server"
        case .protocolError:
            return "\(command): unreadable reply from \(server) (\(message)) — is that port really Redis?"
        case .server:
            return "\(command) failed: \(message)"
        case .scriptMissing:
            return "\(command): the script is missing on \(server) even after loading it again (\(message))"
        case .closed:
            return "\(command): the Redis connection was closed"
        case .crossSlot:
            return "\(command) refused before sending: \(message)"
        }
    }
}
