import Foundation
import OMSContract
import OMSDomain
import OMSStore
import WorkerRuntime

/// Returns: `order.return` for a shipped or delivered order issues a return
/// authorisation (return_requested); when the goods arrive (`receive`), the
/// sellable lines go back into stock, through `stock.restocked` so that
/// backorders are confirmed too, the order is returned, and payment refunds
/// the returned lines' value (returned → refunded).
public struct ReturnHandler: StageHandler {
    let orders: any OrderRecords

    public init(orders: any OrderRecords) {
        self.orders = orders
    }

    public func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        do {
            if message.routingKey == IntakeMessage.RoutingKey.orderReturn.rawValue {
                return try await requested(message, context)
            }
            guard let handoff = try? Handoff.decode(message.body), handoff.action == .receive,
                  let lines = handoff.returnLines else {
                return .deadLetter(reason: "not a return hand-off (expected {\"action\": \"receive\", …})")
            }
            var context = context
            context.identify(orderID: handoff.order.id)
            return try await received(handoff.order, lines: lines, context)
        } catch {
            return .failed(error)
        }
    }

    // MARK: - order.return

    private func requested(_ message: IncomingMessage, _ context: HandlerContext) async throws -> Outcome {
        let request: OrderReturn
        do {
            request = try message.intakeCommand(\.returnRequest, expected: "an order.return message")
        } catch {
            return .deadLetter(reason: error.reason)
        }
        var context = context
        context.identify(orderID: request.orderID)
        guard let stored = try await orders.document(orderID: request.orderID),
              let order = try? OrderCoding.decode(stored) else {
            return .deadLetter(reason: "order \(request.orderID) does not exist; nothing to return")
        }
        if let problem = Self.problem(with: request, of: order) { return .deadLetter(reason: problem) }
        let authorization = OrderReturn.authorization(for: order.id)
        let result = try await orders.transition(
            orderID: order.id, to: .returnRequested, stage: context.stage.rawValue,
            note: "return \(authorization): \(request.reason ?? "no reason given")",
            fields: ["return_authorization": authorization], at: context.now)
        switch result {
        case .applied(_, let version), .already(let version):
            let event = StageEvents.order(order, .returnRequested, version: version, reason: request.reason,
                                          context) { $0.returnAuthorization = authorization }
            let receive = Handoff(action: .receive, order: order, reason: request.reason, returnLines: request.lines)
            return .done([event, OutgoingMessage(exchange: Topology.work, routingKey: Stage.return.rawValue,
                                                 body: receive.encoded(), messageID: "\(order.id):receive")])
        case .refused(let status, _):
            return .deadLetter(reason: "order \(order.id) is \(status.rawValue); only a shipped or delivered order "
                + "can be returned")
        case .missing:
            return .deadLetter(reason: "order \(order.id) does not exist; nothing to return")
        }
    }

    /// Why a return cannot be accepted: SKUs not in the order, or more than was shipped.
    static func problem(with request: OrderReturn, of order: Order) -> String? {
        var returned: [String: Int] = [:]
        for line in request.lines { returned[line.sku, default: 0] += line.quantity }
        for (sku, quantity) in returned.sorted(by: { $0.key < $1.key }) {
            guard let shipped = order.lines.first(where: { $0.sku == sku })?.quantity else {
                return "order \(order.id) has no line \(sku); nothing of it can be returned"
            }
            if quantity > shipped {
                return "return of \(quantity) \(sku) is more than the \(shipped) shipped in order \(order.id)"
            }
        }
        return nil
    }

    /// The return authorisation number: derived from the order, so a repeated request gets the same one.
    // MARK: - receipt

    private func received(_ order: Order, lines: [OrderReturn.Line],
                          _ context: HandlerContext) async throws -> Outcome {
        let plan = ReceiptPlan(order: order, lines: lines,
                               placement: try await StockPlacement.read(orderID: order.id, from: orders))
        // return_requested → returned, or found done by a redelivery; in
        // any other status the receipt changes nothing.
        let result = try await orders.transition(orderID: order.id, to: .returned, stage: context.stage.rawValue,
                                                 note: plan.note, at: context.now)
        if case .missing = result { return .deadLetter(reason: "order \(order.id) does not exist") }
        guard let version = result.version else { return .done([]) }
        return .done(plan.messages(version: version, context))
    }
}
