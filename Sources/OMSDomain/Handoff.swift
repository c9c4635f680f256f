/// What one stage hands another: the order, and what to do with it.
///
/// A status change is its own hand-off (DESIGN.md): the stage that acts next
/// consumes the status event (`order.confirmed` → charge, `order.paid` →
/// pick, `order.picked` → ship), which carries the order. What is not a
/// status change (a refund after a cancel or a return, goods received) goes
/// on `oms.work` as this value's JSON, routing key = the stage. Hand-offs of
/// the old layout (charge, pick, ship on `oms.work`) are still read, so that
/// messages queued before an upgrade are not lost.
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
        jsonBytes()
    }

    public static func decode(_ bytes: [UInt8]) throws -> Handoff {
        try OrderCoding.decode(bytes) { Handoff(reader: &$0) }
    }

    /// The hand-off in a consumed message: a status event that hands an
    /// order over (by its routing key), or a `Handoff` on `oms.work`.
    public static func decode(routingKey: String, body: [UInt8]) throws -> Handoff {
        guard let action = Action.allCases.first(where: { $0.handingOverStatus?.eventType == routingKey }) else {
            return try decode(body)
        }
        let event = try OrderEvent.decode(body)
        guard let order = event.data.order else {
            throw HandoffError.eventWithoutOrder(routingKey)
        }
        return Handoff(action: action, order: order)
    }
}

extension Handoff.Action {
    /// The status whose event hands an order to this action, if any.
    public var handingOverStatus: OrderStatus? {
        switch self {
        case .charge: .confirmed
        case .pick: .paid
        case .ship: .picked
        case .refund, .receive: nil
        }
    }

    /// Whether an event of this status is a hand-off: it carries the order and
    /// must reach a queue (published `mandatory`).
    public static func isHandingOver(_ status: OrderStatus) -> Bool {
        allCases.contains { $0.handingOverStatus == status }
    }
}

public enum HandoffError: Error, CustomStringConvertible, Equatable {
    case eventWithoutOrder(String)

    public var description: String {
        switch self {
        case .eventWithoutOrder(let type): "the \(type) event carries no order (data.order)"
        }
    }
}
