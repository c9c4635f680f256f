import OMSDomain

/// Money paid back from a capture; stored as the refund's effect marker.
public struct Refund: Sendable, Hashable, Codable {
    /// The gateway's id of the refund.
    public var id: String
    public var amount: Money

    public init(id: String, amount: Money) {
        self.id = id
        self.amount = amount
    }
}
