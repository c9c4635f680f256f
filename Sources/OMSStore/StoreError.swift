/// A failure of the store above the connection: an argument it refuses before
/// sending anything, an error reply from a command or script, or a reply it
/// cannot read. Connection failures stay `RedisError`s.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Refused before anything was sent: nothing changed.
        case invalidArgument
        /// The server answered with an error reply; scripts send one only before their first write.
        case server
        /// A reply of a shape the store does not expect: the keys hold something else.
        case unexpectedReply
    }

    public var kind: Kind
    /// What the store was doing: "reserve", "transition".
    public var operation: String
    public var message: String

    public init(_ kind: Kind, operation: String, _ message: String) {
        self.kind = kind
        self.operation = operation
        self.message = message
    }

    public var description: String {
        switch kind {
        case .invalidArgument: "\(operation): \(message)"
        case .server: "\(operation) failed: \(message)"
        case .unexpectedReply: "\(operation): unexpected reply \(message)"
        }
    }
}
