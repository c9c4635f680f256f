import OMSDomain

/// An amount reserved on a card. The payment stage stores it as its effect
/// marker, so it round-trips through JSON.
public struct Authorization: Sendable, Hashable, Codable {
    /// The gateway's id of the authorisation.
    public var id: String
    public var amount: Money

    public init(id: String, amount: Money) {
        self.id = id
        self.amount = amount
    }
}
