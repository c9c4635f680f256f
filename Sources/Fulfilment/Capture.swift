import OMSDomain

/// Money taken from an authorisation. The payment stage stores it as its
/// effect marker; a refund later needs it.
public struct Capture: Sendable, Hashable, Codable {
    /// The gateway's id of the capture.
    public var id: String
    public var amount: Money

    public init(id: String, amount: Money) {
        self.id = id
        self.amount = amount
    }
}
