import OMSDomain
import OMSStore
import WorkerRuntime

/// What a refund records and announces, from its hand-off alone. A prepaid
/// order's money is with the channel: it refunds, oms records what is owed.
struct RefundPlan: Sendable, Hashable {
    let order: Order
    let amount: Money
    let purpose: String
    let byChannel: Bool

    init(_ handoff: Handoff) throws {
        order = handoff.order
        amount = Money(minorUnits: try handoff.amount ?? order.total.minorUnits, currency: order.currency)
        purpose = handoff.reason ?? "refund"
        byChannel = order.payment.method == .prepaid
    }

    /// The history note; `refunded` is false when the gateway had nothing to refund.
    func note(refunded: Bool) -> String {
        byChannel ? "refund of \(amount) owed by \(order.channel), which collected the payment"
            : "refunded \(amount)" + (refunded ? "" : " (nothing was charged)")
    }

    var fields: [String: String] {
        ["refund_amount": "\(amount.minorUnits)", "refund_by": refundBy]
    }

    var counting: [ReportCounter: Int] {
        let counter: ReportCounter = byChannel ? .refundsOwed(currency: amount.currency.code)
            : .refunds(currency: amount.currency.code)
        return [counter: Int(amount.minorUnits)]
    }

    /// `order.refunded`, and for a prepaid order `refund.owed` to its channel.
    func events(version: Int, _ context: HandlerContext) -> [OutgoingMessage] {
        var data = OrderEventData(orderID: order.id, status: .refunded, version: version, channel: order.channel,
                                  previousStatus: .returned)
        data.describe(order)
        data.refundAmount = amount.minorUnits
        data.refundBy = refundBy
        let stage = context.stage.rawValue, traceparent = context.trace.traceparent
        var messages = [StageEvents.message(.order(data, stage: stage, time: context.now, traceparent: traceparent))]
        if byChannel {
            let owed = RefundOwedData(orderID: order.id, channel: order.channel, externalID: order.externalID,
                                      amount: amount)
            messages.append(StageEvents.message(.refundOwed(owed, stage: stage, time: context.now,
                                                            traceparent: traceparent)))
        }
        return messages
    }

    private var refundBy: String { byChannel ? "channel" : "gateway" }
}
