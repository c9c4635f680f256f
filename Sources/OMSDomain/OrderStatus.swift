/// Where an order is in its life. The raw values are public (DESIGN.md): they
/// are stored in Redis and name the events on `oms.events` (`order.<status>`).
public enum OrderStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case received
    case confirmed
    case backordered
    case rejected
    /// Held by a hold rule at capture for a person to look at; nothing is
    /// reserved until `oms hold release`.
    case onHold = "on_hold"
    case cancelled
    case paid
    case picked
    case shipped
    case delivered
    case returnRequested = "return_requested"
    case returned
    case refunded

    /// The routing key of this status's event on `oms.events`.
    public var eventType: String { "order.\(rawValue)" }

    /// The statuses whose events send the customer an email (Notifications'
    /// `EmailKind` says why each does, and why the others do not); `oms.notify`
    /// binds only these and `cancel.refused` (`Topology.emailingEventTypes`).
    public static let emailingCustomer: [OrderStatus] = [
        .confirmed, .backordered, .shipped, .delivered, .cancelled, .returnRequested, .refunded,
    ]

    /// No transition leaves these.
    public var isFinal: Bool { Self.transitions[self, default: []].isEmpty }

    /// Nothing more happens to the order unless someone acts: the final
    /// statuses, and delivered (a return may still come, within the retention).
    /// An order's keys expire this long after it enters one (`Retention`).
    public var isSettled: Bool { isFinal || self == .delivered }
}
