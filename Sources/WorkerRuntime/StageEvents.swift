import OMSContract
import OMSDomain

/// The status events a stage publishes on `oms.events`, built the same way by every stage.
public enum StageEvents {
    /// `order.<status>` for an order, with who and what it is about.
    /// `details` adds what the status brings (tracking number, return authorisation…).
    /// An event that hands the order to the next stage carries the whole order
    /// and is published `mandatory`.
    public static func order(_ order: Order, _ status: OrderStatus, version: Int, reason: String? = nil,
                             _ context: HandlerContext,
                             details: (inout OrderEventData) -> Void = { _ in }) -> OutgoingMessage {
        var data = OrderEventData(orderID: order.id, status: status, version: version, channel: order.channel,
                                  previousStatus: status.allowedPredecessors.count == 1
                                      ? status.allowedPredecessors.first : nil)
        data.describe(order)
        data.reason = reason
        let handingOver = Handoff.Action.isHandingOver(status)
        if handingOver { data.order = order }
        details(&data)
        return message(.order(data, stage: context.stage.rawValue, time: context.now,
                              traceparent: context.trace.traceparent), mandatory: handingOver)
    }

    public static func message<Payload>(_ event: StatusEvent<Payload>, mandatory: Bool = false) -> OutgoingMessage {
        OutgoingMessage(exchange: Topology.events, routingKey: event.type, body: event.encoded(), messageID: event.id,
                        mandatory: mandatory)
    }
}
