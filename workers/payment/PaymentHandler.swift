import Foundation
import Fulfilment
import OMSDomain
import OMSStore
import WorkerRuntime

/// Takes payment for confirmed orders (handed over by `order.confirmed`), and
/// gives money back when asked (a refund on `oms.work`).
///
/// A charge is done at most once per order: every gateway call carries an
/// idempotency key derived from the order and the operation, and the capture
/// is recorded on the order (effect `charge`) once the gateway has taken it,
/// so a redelivered message neither charges again nor calls the gateway again.
/// The gateway is slow I/O: handlers run concurrently up to the prefetch, so
/// one copy keeps that many gateway calls in flight.
struct PaymentHandler: StageHandler {
    let orders: OrderStore
    let inventory: InventoryStore
    let gateway: any PaymentGateway

    func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        let handoff: Handoff
        do {
            handoff = try Handoff.decode(routingKey: message.routingKey, body: message.body)
        } catch {
            return .deadLetter(reason: "not a payment hand-off (expected {\"action\": \"charge\" or \"refund\", "
                + "\"order\": …}): \(error)")
        }
        var context = context
        context.logger[metadataKey: LogKey.orderID] = "\(handoff.order.id)"
        do {
            switch handoff.action {
            case .charge: return try await charge(handoff.order, context)
            case .refund: return try await refund(handoff, context)
            case .pick, .ship, .receive:
                return .deadLetter(reason: "oms-payment does not \(handoff.action.rawValue); check who publishes it")
            }
        } catch {
            return .retry(reason: "\(error)")
        }
    }

    // MARK: - Charge

    private func charge(_ order: Order, _ context: HandlerContext) async throws -> Outcome {
        guard let (status, version) = try await orders.status(orderID: order.id) else {
            return .deadLetter(reason: "order \(order.id) is not in Redis; capture stores every order first")
        }
        switch status {
        case .confirmed:
            break
        case .paid:
            let version = try await orders.repeatTransition(orderID: order.id, to: .paid, stage: context.stage.rawValue,
                                                            at: context.now) ?? version
            return .done(afterPayment(order, version: version, context))
        default:
            context.logger.info("nothing to charge", metadata: ["status": "\(status.rawValue)"])
            return .done([])
        }
        let reference: String
        do {
            reference = try await takePayment(order)
        } catch let error as GatewayError where !error.isTransient {
            return .done(try await declined(order, because: error, context))
        }
        let result = try await orders.transition(orderID: order.id, to: .paid, stage: context.stage.rawValue,
                                                 note: "payment \(reference)",
                                                 fields: ["payment_reference": reference], at: context.now)
        switch result {
        case .applied(_, let version), .already(let version):
            return .done(afterPayment(order, version: version, context))
        case .refused(let current, _):
            // Cancelled while the gateway was working: the money goes back.
            context.logger.notice("order moved on during payment; refunding",
                                  metadata: ["status": "\(current.rawValue)"])
            _ = try await giveBack(order, amount: try order.total, purpose: "cancelled during payment", context)
            return .done([])
        case .missing:
            return .deadLetter(reason: "order \(order.id) disappeared from Redis during payment")
        }
    }

    /// The payment reference: "prepaid" for marketplace orders, else the
    /// gateway's capture, done once and recorded.
    private func takePayment(_ order: Order) async throws -> String {
        if order.payment.method == .prepaid { return "prepaid:\(order.channel)" }
        if let recorded = try await orders.effect(orderID: order.id, effect: Effect.charge) { return recorded }
        let amount = try order.total
        let authorization = try await gateway.authorize(amount: amount, token: order.payment.token ?? "",
                                                        idempotencyKey: "\(order.id):authorize")
        let capture = try await gateway.capture(authorization, idempotencyKey: "\(order.id):capture")
        try await orders.recordEffect(orderID: order.id, effect: Effect.charge, value: capture.id)
        return capture.id
    }

    /// A declined card: the order is cancelled with the gateway's reason and its stock released.
    private func declined(_ order: Order, because error: GatewayError,
                          _ context: HandlerContext) async throws -> [OutgoingMessage] {
        let note = error.description
        let result = try await orders.transition(orderID: order.id, to: .cancelled, stage: context.stage.rawValue,
                                                 note: note, fields: ["reason": note], at: context.now)
        guard let version = result.version else { return [] }
        let skus = order.lines.map(\.sku)
        _ = try await inventory.release(orderID: order.id, skus: skus)
        try await inventory.removeBackorder(orderID: order.id, skus: skus)
        return [StageEvents.order(order, .cancelled, version: version, reason: note, context)]
    }

    /// The `order.paid` event, which hands the order to pick.
    private func afterPayment(_ order: Order, version: Int, _ context: HandlerContext) -> [OutgoingMessage] {
        [StageEvents.order(order, .paid, version: version, context)]
    }

    // MARK: - Refund

    /// Money back for a cancel after payment (the order is already cancelled)
    /// or a return (the order goes returned → refunded).
    private func refund(_ handoff: Handoff, _ context: HandlerContext) async throws -> Outcome {
        let order = handoff.order
        let amount = Money(minorUnits: try handoff.amount ?? order.total.minorUnits, currency: order.currency)
        let refunded = try await giveBack(order, amount: amount, purpose: handoff.reason ?? "refund", context)
        // returned → refunded, or found done by a redelivery (counted and
        // announced again); a cancelled order's refund moves nothing.
        // A prepaid order's money is with the channel: it refunds, oms records what is owed.
        let byChannel = order.payment.method == .prepaid
        let note = byChannel ? "refund of \(amount) owed by \(order.channel), which collected the payment"
            : "refunded \(amount)" + (refunded ? "" : " (nothing was charged)")
        let counter: ReportCounter = byChannel ? .refundsOwed(currency: amount.currency.code)
            : .refunds(currency: amount.currency.code)
        let result = try await orders.transition(orderID: order.id, to: .refunded, stage: context.stage.rawValue,
                                                 note: note,
                                                 fields: ["refund_amount": "\(amount.minorUnits)",
                                                          "refund_by": byChannel ? "channel" : "gateway"],
                                                 counting: [counter: Int(amount.minorUnits)], at: context.now)
        guard let version = result.version else { return .done([]) }
        var data = OrderEventData(orderID: order.id, status: .refunded, version: version, channel: order.channel,
                                  previousStatus: .returned)
        data.describe(order)
        data.refundAmount = amount.minorUnits
        data.refundBy = byChannel ? "channel" : "gateway"
        let stage = context.stage.rawValue, traceparent = context.trace.traceparent
        var messages = [StageEvents.message(.order(data, stage: stage, time: context.now, traceparent: traceparent))]
        if byChannel {
            let owed = RefundOwedData(orderID: order.id, channel: order.channel, externalID: order.externalID,
                                      amount: amount)
            messages.append(StageEvents.message(.refundOwed(owed, stage: stage, time: context.now,
                                                            traceparent: traceparent)))
        }
        return .done(messages)
    }

    /// Refunds the order's capture once (idempotency key and effect marker);
    /// false when there was nothing to refund (prepaid, or never charged).
    private func giveBack(_ order: Order, amount: Money, purpose: String,
                          _ context: HandlerContext) async throws -> Bool {
        guard order.payment.method == .card,
              let captureID = try await orders.effect(orderID: order.id, effect: Effect.charge) else {
            return false
        }
        if try await orders.effect(orderID: order.id, effect: Effect.refund) != nil { return true }
        let capture = Capture(id: captureID, amount: try order.total)
        let refund = try await gateway.refund(capture, amount: amount, idempotencyKey: "\(order.id):refund")
        try await orders.recordEffect(orderID: order.id, effect: Effect.refund, value: refund.id)
        _ = try await orders.record(orderID: order.id, stage: context.stage.rawValue,
                                    note: "refunded \(amount) (\(purpose))", at: context.now)
        return true
    }
}
