import Documents
import Foundation
import Fulfilment
import OMSDomain
import OMSStore
import WorkerRuntime

/// Ships picked orders (handed over by `order.picked`): routes them (warehouse and service), buys the
/// cheapest label that meets the requested service, writes the label PDF
/// (with a customs declaration abroad), commits the reserved stock, and
/// moves them to shipped. Also takes `shipment.delivered` from the carrier.
///
/// One label and one tracking number per order whatever is redelivered: the
/// carrier is asked with an idempotency key per order, and answers a repeated
/// key with the same label; the label file is rewritten whole.
public struct ShipHandler: StageHandler {
    let orders: any OrderRecords
    let inventory: any StockLedger
    let carrier: any Carrier
    /// Business days and the dispatch cut-off, for the carrier's delivery estimate.
    let dispatch: DispatchCalendar
    let routing: RoutingRules
    let defaultItemWeightGrams: Int
    /// The documents folder (OMS_DOCUMENTS_DIR).
    let directory: String

    public init(orders: any OrderRecords, inventory: any StockLedger, carrier: any Carrier,
                dispatch: DispatchCalendar, routing: RoutingRules, defaultItemWeightGrams: Int, directory: String) {
        self.orders = orders
        self.inventory = inventory
        self.carrier = carrier
        self.dispatch = dispatch
        self.routing = routing
        self.defaultItemWeightGrams = defaultItemWeightGrams
        self.directory = directory
    }

    public func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        do {
            if message.routingKey == IntakeMessage.RoutingKey.shipmentDelivered.rawValue {
                return try await delivered(message, context)
            }
            guard let handoff = try? Handoff.decode(routingKey: message.routingKey, body: message.body),
                  handoff.action == .ship else {
                return .deadLetter(reason: "not a ship hand-off (expected {\"action\": \"ship\", \"order\": …})")
            }
            var context = context
            context.identify(orderID: handoff.order.id)
            return try await ship(handoff.order, context)
        } catch let error as CarrierError where error.isTransient {
            return .retry(reason: "\(error)")
        } catch let error as CarrierError {
            return .deadLetter(reason: "\(error)")
        } catch {
            return .failed(error)
        }
    }

    private func ship(_ order: Order, _ context: HandlerContext) async throws -> Outcome {
        let (stored, fields) = try await orders.status(orderID: order.id,
                                                       with: [OrderFields.pickLocation, "tracking_number", "carrier"])
        switch HandoffStep(stored: stored, start: .picked, target: .shipped) {
        case .proceed: break
        case .announce(let version):
            let version = try await orders.repeatTransition(orderID: order.id, to: .shipped,
                                                            stage: context.stage.rawValue, at: context.now) ?? version
            return .done([shippedEvent(order, version: version, tracking: fields["tracking_number"],
                                       carrier: fields["carrier"], context)])
        case .behind(let status): return .retry(reason: HandoffStep.behindReason(order.id, status, start: .picked))
        case .skip: return .done([])
        case .missing: return .deadLetter(reason: HandoffStep.missingReason(order.id))
        }
        let plan: LabelPlan
        do {
            plan = try LabelPlan(order: order, routing: routing, pickLocation: fields[OrderFields.pickLocation],
                                 carrier: carrier, defaultItemWeightGrams: defaultItemWeightGrams)
        } catch let refusal as Refusal {
            return .deadLetter(reason: refusal.reason)
        }
        // From here on the order can no longer be cancelled (DESIGN: cancel until the label is bought).
        if case .refused(let current) = try await orders.claimEffect(
            orderID: order.id, effect: Effect.labelClaim, value: RFC3339.format(context.now), while: .picked) {
            if let current, current.leads(to: .picked) {
                return .retry(reason: HandoffStep.behindReason(order.id, current, start: .picked))
            }
            context.logger.info("no label bought: the order left picked", metadata: ["status": "\(current?.rawValue ?? "missing")"])
            return .done([])
        }
        let label = try await carrier.purchase(plan.rate, for: plan.shipment, idempotencyKey: "\(order.id):label")
        try writeLabel(order, label, plan, context)
        try await orders.recordEffect(orderID: order.id, effect: Effect.label, value: label.trackingNumber)
        _ = try await inventory.commit(orderID: order.id, skus: order.lines.map(\.sku))
        let result = try await orders.transition(
            orderID: order.id, to: .shipped, stage: context.stage.rawValue,
            note: "\(label.carrier) \(label.service.rawValue) \(label.trackingNumber)",
            fields: ["tracking_number": label.trackingNumber, "carrier": label.carrier,
                     "service": label.service.rawValue, "location": plan.route.location],
            at: context.now)
        guard let version = result.version else { return .done([]) }
        let arrival = dispatch.delivery(after: context.now, transitDays: plan.rate.transitDays)
        return .done([shippedEvent(order, version: version, tracking: label.trackingNumber, carrier: label.carrier,
                                   estimatedDelivery: DispatchCalendar.dateText(arrival), context)])
    }

    private func writeLabel(_ order: Order, _ label: PurchasedLabel, _ plan: LabelPlan,
                            _ context: HandlerContext) throws {
        // The location's address from the routing rules file; without one, its name and country.
        let route = plan.route
        let warehouse = routing.addresses[route.location]
            ?? PostalAddress(name: "Warehouse \(route.location)", lines: [], city: "", country: route.originCountry)
        let document = ShippingLabel(from: warehouse, order: order, carrier: label.carrier, service: label.service,
                                     weightGrams: plan.weight, trackingNumber: label.trackingNumber,
                                     shipDate: context.now, customs: plan.customs)
        try DocumentFiles.write(try document.pdf(), folder: directory + "/labels", name: "\(order.id).pdf")
    }

    private func shippedEvent(_ order: Order, version: Int, tracking: String?, carrier: String?,
                              estimatedDelivery: String? = nil, _ context: HandlerContext) -> OutgoingMessage {
        StageEvents.order(order, .shipped, version: version, context) { data in
            data.trackingNumber = tracking
            data.carrier = carrier
            data.estimatedDelivery = estimatedDelivery
        }
    }

    // MARK: - shipment.delivered

    private func delivered(_ message: IncomingMessage, _ context: HandlerContext) async throws -> Outcome {
        let command: ShipmentDelivered
        do {
            command = try message.intakeCommand(\.delivery, expected: "a shipment.delivered message")
        } catch {
            return .deadLetter(reason: error.reason)
        }
        let fields = try await orders.fields(orderID: command.orderID)
        guard let stored = fields["document"], let order = try? OrderCoding.decode(Array(stored.utf8)) else {
            return .deadLetter(reason: "order \(command.orderID) does not exist")
        }
        let tracking = fields["tracking_number"]
        guard tracking == command.trackingNumber else {
            return .deadLetter(reason: "tracking number \(command.trackingNumber) is not order \(order.id)'s "
                + "(\(tracking ?? "none yet")); check the carrier's message")
        }
        let result = try await orders.transition(orderID: order.id, to: .delivered, stage: context.stage.rawValue,
                                                 note: "delivered \(command.deliveredAt)",
                                                 fields: ["delivered_at": command.deliveredAt], at: context.now)
        switch result {
        case .applied(_, let version), .already(let version):
            return .done([StageEvents.order(order, .delivered, version: version, context) { data in
                data.trackingNumber = tracking
            }])
        case .refused(let current, _):
            _ = try await orders.record(orderID: order.id, stage: context.stage.rawValue,
                                        note: "delivery ignored: the order is \(current.rawValue)", at: context.now)
            return .done([])
        case .missing:
            return .deadLetter(reason: "order \(order.id) does not exist")
        }
    }
}
