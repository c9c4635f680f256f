import Foundation
import OMSDomain
import OMSStore
import WorkerRuntime

/// Returns: `order.return` for a shipped or delivered order issues a return
/// authorisation (return_requested); when the goods arrive (`receive`), the
/// sellable lines go back into stock, through `stock.restocked` so that
/// backorders are confirmed too, the order is returned, and payment refunds
/// the returned lines' value (returned → refunded).
struct ReturnHandler: StageHandler {
    let orders: OrderStore

    func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        do {
            if message.routingKey == IntakeMessage.RoutingKey.orderReturn.rawValue {
                return try await requested(message, context)
            }
            guard let handoff = try? Handoff.decode(message.body), handoff.action == .receive,
                  let lines = handoff.returnLines else {
                return .deadLetter(reason: "not a return hand-off (expected {\"action\": \"receive\", …})")
            }
            return try await received(handoff.order, lines: lines, context)
        } catch {
            return .retry(reason: "\(error)")
        }
    }

    // MARK: - order.return

    private func requested(_ message: IncomingMessage, _ context: HandlerContext) async throws -> Outcome {
        let request: OrderReturn
        do {
            guard case .returnRequest(let decoded) = try IntakeMessage.decode(routingKey: message.routingKey,
                                                                              body: message.body) else {
                return .deadLetter(reason: "not an order.return message")
            }
            request = decoded
        } catch {
            return .deadLetter(reason: error.description)
        }
        guard let stored = try await orders.document(orderID: request.orderID),
              let order = try? OrderCoding.decode(stored) else {
            return .deadLetter(reason: "order \(request.orderID) does not exist; nothing to return")
        }
        if let problem = Self.problem(with: request, of: order) { return .deadLetter(reason: problem) }
        let authorization = Self.authorization(for: order.id)
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
    static func authorization(for orderID: String) -> String {
        "RA-" + OrderCoding.contentHash(Array(orderID.utf8)).prefix(12).uppercased()
    }

    // MARK: - receipt

    private func received(_ order: Order, lines: [OrderReturn.Line], _ context: HandlerContext) async throws -> Outcome {
        let note = "received: " + lines.map { "\($0.quantity) \($0.sku) \($0.condition.rawValue)" }
            .joined(separator: ", ")
        // return_requested → returned, or found done by a redelivery; in
        // any other status the receipt changes nothing.
        let result = try await orders.transition(orderID: order.id, to: .returned, stage: context.stage.rawValue,
                                                 note: note, at: context.now)
        if case .missing = result { return .deadLetter(reason: "order \(order.id) does not exist") }
        guard let version = result.version else { return .done([]) }
        let restocks = OrderReturn(orderID: order.id, reason: nil, lines: lines).restocks.map { restock in
            OutgoingMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.stockRestocked.rawValue,
                            body: restock.encoded(), messageID: restock.restockID)
        }
        let value = lines.reduce(Int64(0)) { total, line in
            total + Int64(line.quantity) * (order.lines.first { $0.sku == line.sku }?.unitPrice ?? 0)
        }
        let refund = Handoff(action: .refund, order: order, reason: "return", amount: value)
        return .done([StageEvents.order(order, .returned, version: version, context)] + restocks
            + [OutgoingMessage(exchange: Topology.work, routingKey: Stage.payment.rawValue, body: refund.encoded(),
                               messageID: "\(order.id):refund")])
    }
}
