import AMQPClient
import OMSDomain

/// The RabbitMQ names of DESIGN.md, once, and everything the workers declare.
///
/// Besides the public names, oms declares its own plumbing: `oms.unrouted`
/// (the alternate exchange of `oms.intake`, so a message with an unknown
/// routing key is dead-lettered with a reason instead of vanishing), and the
/// retry path: `oms.retry` routes a message to the delay queue of its
/// attempt (`oms.retry.<ms>`, whose TTL holds it back), which dead-letters it
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
    public static let intakeRoutes: [(routingKey: String, stage: Stage)] = [
        ("order.place", .capture), ("order.cancel", .capture), ("stock.restocked", .capture),
        ("order.return", .return), ("shipment.delivered", .ship),
    ]

    /// The status events each stage's queue binds on `oms.events`: the events
    /// that hand an order over (`order.confirmed` → payment, `order.paid` →
    /// pick, `order.picked` → ship) and, for notify, those that send email.
    public static let eventRoutes: [(routingKey: String, stage: Stage)] =
        Handoff.Action.allCases.compactMap { action in
            action.handingOverStatus.map { ($0.eventType, Stage(performing: action)) }
        } + OrderStatus.emailingCustomer.map { ($0.eventType, .notify) }

    /// Bindings of the layout before events became hand-offs, which
    /// `oms topology apply` removes from an existing broker: notify took every
    /// order event and skipped most of them.
    public static let retiredBindings: [AMQPTopology.Binding] = [
        .init(queue: Stage.notify.queue, exchange: events, routingKey: "order.#"),
    ]

    /// A quorum queue dead-letters a message delivered more often than this:
    /// the net under a message that crashes its worker every time.
    public static let deliveryLimit = 20

    public static func retryQueue(delay: Duration) -> String {
        "oms.retry.\(delay.milliseconds)"
    }

    public static func declaration(retry policy: RetryPolicy = RetryPolicy()) -> AMQPTopology {
        let stageQueueArguments = QueueArgument.quorum + QueueArgument.deadLetter(exchange: dead)
            + QueueArgument.deliveryLimit(deliveryLimit)
        var topology = AMQPTopology(
            exchanges: [
                .init(intake, kind: .topic, arguments: ["alternate-exchange": .string(unrouted)]),
                .init(work, kind: .direct), .init(events, kind: .topic), .init(dead, kind: .fanout),
                .init(unrouted, kind: .fanout), .init(retry, kind: .direct), .init(retryDue, kind: .headers),
            ],
            queues: Stage.allCases.map { .init($0.queue, arguments: stageQueueArguments) }
                + [.init(dead, arguments: QueueArgument.quorum), .init(unrouted, arguments: QueueArgument.quorum)],
            bindings: Stage.allCases.map { .init(queue: $0.queue, exchange: work, routingKey: $0.rawValue) }
                + intakeRoutes.map { .init(queue: $0.stage.queue, exchange: intake, routingKey: $0.routingKey) }
                + eventRoutes.map { .init(queue: $0.stage.queue, exchange: events, routingKey: $0.routingKey) }
                + [.init(queue: dead, exchange: dead, routingKey: ""),
                   .init(queue: unrouted, exchange: unrouted, routingKey: "")])
        for delay in policy.delays {
            let name = retryQueue(delay: delay)
            topology.queues.append(.init(name, arguments: QueueArgument.messageTTL(milliseconds: delay.milliseconds)
                + QueueArgument.deadLetter(exchange: retryDue)))
            topology.bindings.append(.init(queue: name, exchange: retry, routingKey: name))
        }
        for stage in Stage.allCases {
            topology.bindings.append(.init(queue: stage.queue, exchange: retryDue, routingKey: "",
                                           arguments: ["x-match": "all", Headers.retryStage: .string(stage.rawValue)]))
        }
        return topology
    }
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

extension Duration {
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
