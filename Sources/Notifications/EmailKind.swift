import OMSDomain

/// The status events a customer gets an email for. Every `OrderStatus` is
/// decided in `decision(forEventType:)`, so a new status cannot be added
/// without saying whether it emails.
///
/// | event | email | why |
/// |---|---|---|
/// | order.received | no | confirmed, backordered or rejected follows within moments; two emails a second apart would be noise |
/// | order.on_hold | no | held for a person in the shop to look at; the customer hears when it is confirmed or cancelled |
/// | order.confirmed | yes | the order is accepted and every line reserved |
/// | order.backordered | yes | the customer waits, and should know why |
/// | order.rejected | no | the order was invalid (DESIGN: no email for rejected orders); the channel that sent it handles it |
/// | order.paid | no | internal step; the confirmation already told the customer |
/// | order.picked | no | warehouse step |
/// | order.shipped | yes | carrier, tracking number and link |
/// | order.delivered | yes | |
/// | order.cancelled | yes | with the reason |
/// | order.return_requested | yes | the customer needs the return authorisation number to send goods back |
/// | order.returned | no | refunded follows at once and says the goods arrived |
/// | order.refunded | yes | with the amount in the order's currency |
/// | cancel.refused | yes | a cancel came too late: the customer hears why (not a status: the order stays as it was) |
/// | anything else | no | unknown types are skipped, not errors: anyone may publish on `oms.events` |
public enum EmailKind: String, Sendable, Hashable, CaseIterable {
    case confirmed
    case backordered
    case shipped
    case delivered
    case cancelled
    case returnRequested = "return_requested"
    case refunded
    case cancelRefused = "cancel_refused"

    /// `order.<status>`, or `cancel.refused`: the routing key and the
    /// templates' file name prefix.
    public var eventType: String {
        self == .cancelRefused ? StatusEvent<OrderEventData>.cancelRefusedType : "order.\(rawValue)"
    }

    /// Whether an event of this type (its routing key) sends an email.
    public static func decision(forEventType type: String) -> EmailDecision {
        if type == StatusEvent<OrderEventData>.cancelRefusedType { return .email(.cancelRefused) }
        let prefix = "order."
        guard type.hasPrefix(prefix), let status = OrderStatus(rawValue: String(type.dropFirst(prefix.count))) else {
            return .noEmail(.unknownType(type))
        }
        switch status {
        case .confirmed: return .email(.confirmed)
        case .backordered: return .email(.backordered)
        case .shipped: return .email(.shipped)
        case .delivered: return .email(.delivered)
        case .cancelled: return .email(.cancelled)
        case .returnRequested: return .email(.returnRequested)
        case .refunded: return .email(.refunded)
        case .rejected: return .noEmail(.rejectedOrder)
        case .received, .onHold, .paid, .picked, .returned: return .noEmail(.notForCustomers(type))
        }
    }
}
