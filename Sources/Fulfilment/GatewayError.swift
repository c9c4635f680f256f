/// Why a payment gateway refused or could not answer; the kind decides
/// whether to retry. Throw `.declined("card declined")` or
/// `.unavailable("timed out")`, or `GatewayError(.declined, reason)`.
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The gateway said no (card declined, insufficient funds, refund over
        /// the captured amount): permanent, retrying changes nothing.
        case declined
        /// The gateway could not answer now (timeout, 5xx, rate limit): transient.
        case unavailable
    }

    public var kind: Kind
    /// What the gateway said, for people: never the card token.
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public static func declined(_ reason: String) -> GatewayError { GatewayError(.declined, reason) }
    public static func unavailable(_ reason: String) -> GatewayError { GatewayError(.unavailable, reason) }

    /// True when the same call (with the same idempotency key) may succeed later.
    public var isTransient: Bool { kind == .unavailable }

    /// What an operator reads in the order's history or the dead letter.
    public var description: String {
        switch kind {
        case .declined: "payment declined: \(reason)"
        case .unavailable: "payment gateway unavailable: \(reason)"
        }
    }
}
