/// Why a carrier could not quote or sell a label; the kind decides whether to
/// retry. Shaped like `GatewayError`, plus the carrier's name.
public struct CarrierError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The shipment cannot go as asked (unknown or unserved country, too
        /// heavy, no such service): permanent, retrying changes nothing.
        case refused
        /// The carrier could not answer now (timeout, 5xx, rate limit): transient.
        case unavailable
    }

    public var kind: Kind
    /// A refusal's reason reads on its own, naming the carrier where it helps:
    /// "table-rate does not ship to KP".
    public var reason: String
    /// Which carrier said so: "table-rate".
    public var carrier: String

    public init(_ kind: Kind, _ reason: String, carrier: String) {
        self.kind = kind
        self.reason = reason
        self.carrier = carrier
    }

    /// True when the same call may succeed later.
    public var isTransient: Bool { kind == .unavailable }

    /// What an operator reads in the dead letter's `x-oms-error`: a refusal's
    /// reason as it is; "easypost is unavailable: HTTP 503" for the other kind.
    public var description: String {
        switch kind {
        case .refused: reason
        case .unavailable: "\(carrier) is unavailable: \(reason)"
        }
    }
}
