/// What one stage hands another on `oms.work` (routing key = the stage):
/// the order, and what to do with it.
public struct Handoff: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Payment: authorise and capture the order's total.
        case charge
        /// Payment: give money back (`amount`, minor units) for a cancel or a return.
        case refund
        /// Pick: allocate the lines from their bins.
        case pick
        /// Ship: buy a label and hand the parcel to the carrier.
        case ship
        /// Return: the returned goods arrived (`returnLines`).
        case receive
    }

    public var action: Action
    public var order: Order
    public var reason: String?
    public var amount: Int64?
    public var returnLines: [OrderReturn.Line]?

    public init(action: Action, order: Order, reason: String? = nil, amount: Int64? = nil,
                returnLines: [OrderReturn.Line]? = nil) {
        self.action = action
        self.order = order
        self.reason = reason
        self.amount = amount
        self.returnLines = returnLines
    }

    enum CodingKeys: String, CodingKey {
        case action, order, reason, amount
        case returnLines = "return_lines"
    }

    public func encoded() -> [UInt8] {
        OrderCoding.encodeValue(self)
    }

    public static func decode(_ bytes: [UInt8]) throws -> Handoff {
        try OrderCoding.decodeValue(Handoff.self, from: bytes)
    }
}
