/// A failure of the AMQP layer: what went wrong, the broker's reply code or
/// rabbitmq-c's status where there is one, and the operation that failed
/// ("declare queue oms.capture").
public struct AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidURL
        /// TCP connect failed: refused, unreachable, timed out.
        case unreachable
        /// The broker refused the user name or password (403 ACCESS_REFUSED).
        case accessRefused
        /// The broker closed the channel (e.g. 404 NOT_FOUND, 406 PRECONDITION_FAILED).
        case channelClosed
        /// The connection is gone: closed by the broker, socket error, missed heartbeats.
        case connectionLost
        /// No connection now, and none came back in time.
        case notConnected
        /// A mandatory message matched no queue (312 NO_ROUTE).
        case unroutable
        /// The broker refused to take a published message (basic.nack).
        case nacked
        case timeout
        /// `close()` was called.
        case closed
        case library
    }

    public var kind: Kind
    /// The broker's reply code (320, 404, 406…) or rabbitmq-c's status (negative).
    public var code: Int?
    public var text: String
    public var operation: String

    public init(_ kind: Kind, _ text: String, code: Int? = nil, operation: String) {
        self.kind = kind
        self.text = text
        self.code = code
        self.operation = operation
    }

    public var description: String {
        let code = code.map { " (\($0))" } ?? ""
        return "\(operation): \(text)\(code)"
    }

    /// Whether trying again later may succeed: the broker or the link was away.
    public var isTransient: Bool {
        switch kind {
        case .unreachable, .connectionLost, .notConnected, .timeout, .nacked: true
        default: false
        }
    }
}
