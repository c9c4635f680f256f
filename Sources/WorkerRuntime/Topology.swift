import AMQPClient
import OMSContract
import OMSDomain

/// Everything the workers declare on the broker, from the names of `Topology`.
extension Topology {
    /// Bindings of the layout before events became hand-offs, which
    /// `oms topology apply` removes from an existing broker: notify took every
    /// order event and skipped most of them.
    public static let retiredBindings: [AMQPTopology.Binding] = [
        .init(queue: Stage.notify.queue, exchange: events, routingKey: "order.#"),
    ]

    /// A quorum queue dead-letters a message delivered more often than this:
    /// the net under a message that crashes its worker every time.
    public static let deliveryLimit = 20

    /// Quorum queues, so that a retry outlives the RabbitMQ node it waits
    /// on, and a reconnecting worker can declare it while that node is down
    /// (a classic queue's declaration then fails, and so did every reconnect).
    /// Named apart from the classic `oms.retry.<ms>` of earlier versions,
    /// whose type cannot change in place: what they hold still expires into
    /// `oms.retry.due` as before, and they may be deleted once empty.
    public static func retryQueue(delay: Duration) -> String {
        "oms.retry.q.\(delay.milliseconds)"
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
                + intakeRoutes.map { .init(queue: $0.stage.queue, exchange: intake, routingKey: $0.routingKey.rawValue) }
                + eventRoutes.map { .init(queue: $0.stage.queue, exchange: events, routingKey: $0.routingKey) }
                + [.init(queue: dead, exchange: dead, routingKey: ""),
                   .init(queue: unrouted, exchange: unrouted, routingKey: "")])
        for delay in policy.delays {
            let name = retryQueue(delay: delay)
            topology.queues.append(.init(name, arguments: QueueArgument.quorum
                + QueueArgument.messageTTL(milliseconds: delay.milliseconds)
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

extension Duration {
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
