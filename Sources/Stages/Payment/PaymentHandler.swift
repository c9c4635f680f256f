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
public struct PaymentHandler: StageHandler {
    let orders: any OrderRecords
    let inventory: any StockLedger
    let gateway: any PaymentGateway

    public init(orders: any OrderRecords, inventory: any StockLedger, gateway: any PaymentGateway) {
        self.orders = orders
        self.inventory = inventory
        self.gateway = gateway
    }

    public func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        let handoff: Handoff
        do {
            handoff = try Handoff.decode(routingKey: message.routingKey, body: message.body)
        } catch {
            return .deadLetter(reason: "not a payment hand-off (expected {\"action\": \"charge\" or \"refund\", "
                + "\"order\": …}): \(error)")
        }
        var context = context
        context.identify(orderID: handoff.order.id)
        do {
            switch handoff.action {
            case .charge: return try await charge(handoff.order, context)
            case .refund: return try await refund(handoff, context)
            case .pick, .ship, .receive:
                return .deadLetter(reason: "oms-payment does not \(handoff.action.rawValue); check who publishes it")
            }
        } catch {
            return .failed(error)
        }
    }

    // MARK: - Charge

    private func charge(_ order: Order, _ context: HandlerContext) async throws -> Outcome {
        switch HandoffStep(stored: try await orders.status(orderID: order.id), start: .confirmed, target: .paid) {
        case .proceed:
            break
        case .announce(let version):
            let version = try await orders.repeatTransition(orderID: order.id, to: .paid, stage: context.stage.rawValue,
                                                            at: context.now) ?? version
            return .done(afterPayment(order, version: version, context))
        case .behind(let status):
            return .retry(reason: HandoffStep.behindReason(order.id, status, start: .confirmed))
        case .skip(let status):
            context.logger.info("nothing to charge", metadata: ["status": "\(status.rawValue)"])
            guard status == .cancelled else { return .done([]) }
            return .done(try await afterCancelDuringPayment(order, context))
        case .missing:
            return .deadLetter(reason: HandoffStep.missingReason(order.id))
        }
        let answer: Result<String, GatewayError>
        do {
            answer = .success(try await takePayment(order))
        } catch let error as GatewayError {
            answer = .failure(error)
        }
        return try await settle(order, ChargeStep(answer: answer), context)
    }

    /// Runs what the gateway's answer, then the move to paid, come to.
    private func settle(_ order: Order, _ step: ChargeStep, _ context: HandlerContext) async throws -> Outcome {
        switch step {
        case .pay(let reference):
            let result = try await orders.transition(orderID: order.id, to: .paid, stage: context.stage.rawValue,
                                                     note: "payment \(reference)",
                                                     fields: ["payment_reference": reference], at: context.now)
            return try await settle(order, ChargeStep(paid: result), context)
        case .cancel(let reason):
            return .done(try await declined(order, because: reason, context))
        case .retry(let reason):
            return .retry(reason: reason)
        case .announce(let version):
            return .done(afterPayment(order, version: version, context))
        case .refund(let current):
            context.logger.notice("order moved on during payment; refunding",
                                  metadata: ["status": "\(current.rawValue)"])
            _ = try await giveBack(order, amount: try order.total, purpose: "cancelled during payment", context)
            return .done([])
        case .paidElsewhere(let current):
            context.logger.info("paid by another delivery of this charge", metadata: ["status": "\(current.rawValue)"])
            return .done([])
        case .missing:
            return .deadLetter(reason: "order \(order.id) disappeared from Redis during payment")
        }
    }

    /// A charge delivered again after its order was cancelled. Paid before
    /// the cancel: the `order.paid` event a crash may have left unsent, once
    /// more (the cancel's refund is under way). Never paid, but a copy was
    /// killed between the gateway and `paid`: the money it may have taken
    /// goes back (the gateway answers the same idempotency keys with what it
    /// kept, so nothing is charged twice).
    private func afterCancelDuringPayment(_ order: Order, _ context: HandlerContext) async throws
        -> [OutgoingMessage] {
        if let paid = try await orders.transitionVersion(orderID: order.id, to: .paid) {
            return afterPayment(order, version: paid, context)
        }
        guard order.payment.method == .card,
              try await orders.effect(orderID: order.id, effect: Effect.chargeAttempt) != nil else { return [] }
        do {
            _ = try await takePayment(order)
        } catch let error as GatewayError where !error.isTransient {
            return []
        }
        _ = try await giveBack(order, amount: try order.total, purpose: "cancelled during payment", context)
        return []
    }

    /// The payment reference: "prepaid" for marketplace orders, else the
    /// gateway's capture, done once and recorded.
    private func takePayment(_ order: Order) async throws -> String {
        if order.payment.method == .prepaid { return "prepaid:\(order.channel)" }
        if let recorded = try await orders.effect(orderID: order.id, effect: Effect.charge) { return recorded }
        try await orders.recordEffect(orderID: order.id, effect: Effect.chargeAttempt, value: "1")
        let amount = try order.total
        let authorization = try await gateway.authorize(amount: amount, token: order.payment.token ?? "",
                                                        idempotencyKey: "\(order.id):authorize")
        let capture = try await gateway.capture(authorization, idempotencyKey: "\(order.id):capture")
        try await orders.recordEffect(orderID: order.id, effect: Effect.charge, value: capture.id)
        return capture.id
    }

    /// A declined card: the order is cancelled with the gateway's reason and its stock released.
    private func declined(_ order: Order, because note: String,
                          _ context: HandlerContext) async throws -> [OutgoingMessage] {
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
        let plan = try RefundPlan(handoff)
        let refunded = try await giveBack(plan.order, amount: plan.amount, purpose: plan.purpose, context)
        // returned → refunded, or found done by a redelivery (counted and
        // announced again); a cancelled order's refund moves nothing.
        let result = try await orders.transition(orderID: plan.order.id, to: .refunded, stage: context.stage.rawValue,
                                                 note: plan.note(refunded: refunded), fields: plan.fields,
                                                 counting: plan.counting, unless: nil, at: context.now)
        guard let version = result.version else { return .done([]) }
        return .done(plan.events(version: version, context))
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
