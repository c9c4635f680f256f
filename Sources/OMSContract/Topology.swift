import OMSDomain

/// The RabbitMQ names of DESIGN.md, once: exchanges, which stage's queue takes
/// which routing key, and the headers oms sets.
///
/// Besides the public names, oms declares its own plumbing: `oms.unrouted`
/// (the alternate exchange of `oms.intake`, so a message with an unknown
/// routing key is dead-lettered with a reason instead of vanishing), and the
/// retry path: `oms.retry` routes a message to the delay queue of its
/// attempt (`oms.retry.q.<ms>`, whose TTL holds it back), which dead-letters it
/// on expiry into `oms.retry.due`, a headers exchange that routes it by
/// `oms-retry-stage` back to its stage's queue. (Not by `x-oms-stage`: a
/// headers exchange ignores headers whose names start with `x-`.)
public enum Topology {
    public static let intake = "oms.intake"
    public static let work = "oms.work"
    public static let events = "oms.events"
    public static let dead = "oms.dead"
    public static let unrouted = "oms.unrouted"
    public static let retry = "oms.retry"
    public static let retryDue = "oms.retry.due"

    /// Which stage consumes each `oms.intake` routing key.
    public static let intakeRoutes: [(routingKey: IntakeMessage.RoutingKey, stage: Stage)] = [
        (.orderPlace, .capture), (.orderCancel, .capture), (.stockRestocked, .capture),
        (.orderReturn, .return), (.shipmentDelivered, .ship),
    ]

    /// The events each stage's queue binds on `oms.events`: the events that
    /// hand an order over (`order.confirmed` → payment, `order.paid` → pick,
    /// `order.picked` → ship) and, for notify, those that send email.
    public static let eventRoutes: [(routingKey: String, stage: Stage)] =
        Handoff.Action.allCases.compactMap { action in
            action.handingOverStatus.map { ($0.eventType, Stage(performing: action)) }
        } + emailingEventTypes.map { ($0, .notify) }

    /// The statuses whose events email the customer, and a refused cancel.
    public static let emailingEventTypes: [String] =
        OrderStatus.emailingCustomer.map(\.eventType) + [StatusEvent<OrderEventData>.cancelRefusedType]
}

/// The `x-oms-*` headers.
public enum Headers {
    public static let stage = "x-oms-stage"
    /// Routes a retried message back to its stage through `oms.retry.due`.
    public static let retryStage = "oms-retry-stage"
    public static let error = "x-oms-error"
    public static let attempts = "x-oms-attempts"
    public static let originalExchange = "x-oms-original-exchange"
    public static let originalRoutingKey = "x-oms-original-routing-key"
    public static let traceparent = "traceparent"
}
