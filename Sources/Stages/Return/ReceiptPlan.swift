import OMSContract
import OMSDomain
import WorkerRuntime

/// What the goods of a return arriving come to, from the hand-off alone:
/// the history note, and once the order is returned, its event, a restock
/// of each sellable SKU (through `stock.restocked`, so backorders are
/// confirmed too) and the refund of the returned lines' value.
struct ReceiptPlan: Sendable, Hashable {
    let order: Order
    let lines: [OrderReturn.Line]
    /// Where the order's stock was held, for SKUs stocked per location: the
    /// sellable goods go back on the shelves of the location (or parcel's
    /// location) they shipped from.
    let placement: StockPlacement

    var note: String {
        "received: " + lines.map { "\($0.quantity) \($0.sku) \($0.condition.rawValue)" }.joined(separator: ", ")
    }

    /// Minor units: each returned line at the price the order paid for it, damaged or not.
    var value: Int64 {
        lines.reduce(Int64(0)) { total, line in
            total + Int64(line.quantity) * (order.lines.first { $0.sku == line.sku }?.unitPrice ?? 0)
        }
    }

    func messages(version: Int, _ context: HandlerContext) -> [OutgoingMessage] {
        let restocks = OrderReturn(orderID: order.id, reason: nil, lines: lines).restocks.map { restock in
            var restock = restock
            restock.location = placement.location(of: restock.sku)
            return OutgoingMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.stockRestocked.rawValue,
                            body: restock.encoded(), messageID: restock.restockID)
        }
        let refund = Handoff(action: .refund, order: order, reason: "return", amount: value)
        return [StageEvents.order(order, .returned, version: version, context)] + restocks
            + [OutgoingMessage(exchange: Topology.work, routingKey: Stage.payment.rawValue, body: refund.encoded(),
                               messageID: "\(order.id):refund")]
    }
}
