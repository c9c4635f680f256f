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
/// One label and one tracking number per order (per parcel, for an order
/// capture split over locations) whatever is redelivered: the carrier is
/// asked with an idempotency key per order (per parcel), and answers a
/// repeated key with the same label; the label file is rewritten whole.
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
        let (stored, fields) = try await orders.status(
            orderID: order.id, with: [OrderFields.pickLocation, OrderFields.parcels, OrderFields.shippedParcels,
                                      "tracking_number", "carrier"])
        switch HandoffStep(stored: stored, start: .picked, target: .shipped) {
        case .proceed: break
        case .announce(let version):
            let version = try await orders.repeatTransition(orderID: order.id, to: .shipped,
                                                            stage: context.stage.rawValue, at: context.now) ?? version
            if let shipped = fields[OrderFields.shippedParcels] {
                return .done(parcelEvents(order, version: version, try ShippedParcel.decode(shipped), context))
            }
            return .done([shippedEvent(order, version: version, tracking: fields["tracking_number"],
                                       carrier: fields["carrier"], context)])
        case .behind(let status): return .retry(reason: HandoffStep.behindReason(order.id, status, start: .picked))
        case .skip: return .done([])
        case .missing: return .deadLetter(reason: HandoffStep.missingReason(order.id))
        }
        let parcels = try Parcel.decode(fields[OrderFields.parcels])
        let plans: [LabelPlan]
        do {
            plans = try labelPlans(order, parcels: parcels, pickLocation: fields[OrderFields.pickLocation])
        } catch let refusal as Refusal {
            return .deadLetter(reason: refusal.reason)
        }
        if let stop = try await claimLabel(order, context) { return stop }
        guard parcels.isEmpty else { return try await ship(order, in: Array(zip(parcels, plans)), context) }
        return try await shipWhole(order, plans[0], context)
    }

    /// One plan for the whole order from where it was picked, or one per parcel from its location.
    private func labelPlans(_ order: Order, parcels: [Parcel], pickLocation: String?) throws -> [LabelPlan] {
        guard !parcels.isEmpty else {
            return [try LabelPlan(order: order, routing: routing, pickLocation: pickLocation, carrier: carrier,
                                  defaultItemWeightGrams: defaultItemWeightGrams)]
        }
        return try parcels.map { parcel in
            try LabelPlan(order: order.only(parcel), routing: routing, pickLocation: parcel.location, carrier: carrier,
                          defaultItemWeightGrams: defaultItemWeightGrams)
        }
    }

    /// An order in one box: one label, `<order>:label` its idempotency key.
    private func shipWhole(_ order: Order, _ plan: LabelPlan, _ context: HandlerContext) async throws -> Outcome {
        let label = try await carrier.purchase(plan.rate, for: plan.shipment, idempotencyKey: "\(order.id):label")
        try writeLabel(order, label, plan, name: DocumentFiles.orderDocument(order.id), context)
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

    /// From here on the order can no longer be cancelled (DESIGN: cancel
    /// until the label is bought). What to return instead of buying; nil to buy.
    private func claimLabel(_ order: Order, _ context: HandlerContext) async throws -> Outcome? {
        guard case .refused(let current) = try await orders.claimEffect(
            orderID: order.id, effect: Effect.labelClaim, value: RFC3339.format(context.now), while: .picked) else {
            return nil
        }
        if let current, current.leads(to: .picked) {
            return .retry(reason: HandoffStep.behindReason(order.id, current, start: .picked))
        }
        context.logger.info("no label bought: the order left picked", metadata: ["status": "\(current?.rawValue ?? "missing")"])
        return .done([])
    }

    /// A split order: a label per parcel (one idempotency key each, so a
    /// redelivery gets the same labels), and a `shipment.shipped` per parcel;
    /// the order is shipped once its last parcel has its label.
    private func ship(_ order: Order, in parcels: [(Parcel, LabelPlan)], _ context: HandlerContext) async throws
        -> Outcome {
        var shipped: [ShippedParcel] = []
        for (parcel, plan) in parcels {
            let label = try await carrier.purchase(plan.rate, for: plan.shipment,
                                                   idempotencyKey: "\(order.id):label:\(parcel.number)")
            try writeLabel(order.only(parcel), label, plan,
                           name: DocumentFiles.orderDocument(order.id, parcel: parcel.number), context)
            try await orders.recordEffect(orderID: order.id, effect: Effect.label(parcel: parcel.number),
                                          value: label.trackingNumber)
            let arrival = dispatch.delivery(after: context.now, transitDays: plan.rate.transitDays)
            shipped.append(ShippedParcel(
                number: parcel.number, location: parcel.location,
                lines: order.only(parcel).lines.map { .init(sku: $0.sku, quantity: $0.quantity, name: $0.name) },
                carrier: label.carrier, trackingNumber: label.trackingNumber,
                estimatedDelivery: DispatchCalendar.dateText(arrival)))
        }
        _ = try await inventory.commit(orderID: order.id, skus: order.lines.map(\.sku))
        let trackingNumbers = shipped.map(\.trackingNumber)
        let result = try await orders.transition(
            orderID: order.id, to: .shipped, stage: context.stage.rawValue,
            note: "\(shipped.count) parcels: " + shipped.map { "\($0.number) from \($0.location) \($0.carrier) "
                + "\($0.trackingNumber)" }.joined(separator: "; "),
            fields: ["tracking_number": trackingNumbers[0], OrderFields.trackingNumbers: trackingNumbers.joined(separator: ","),
                     "carrier": shipped[0].carrier, OrderFields.shippedParcels: ShippedParcel.encode(shipped)],
            at: context.now)
        guard let version = result.version else { return .done([]) }
        return .done(parcelEvents(order, version: version, shipped, context))
    }

    /// `shipment.shipped` for each parcel, then `order.shipped` listing them all.
    private func parcelEvents(_ order: Order, version: Int, _ parcels: [ShippedParcel],
                              _ context: HandlerContext) -> [OutgoingMessage] {
        parcels.map { parcel in
            StageEvents.message(.shipmentShipped(ShipmentShippedData(order: order, parcelCount: parcels.count,
                                                                     parcel: parcel),
                                                 stage: context.stage.rawValue, time: context.now,
                                                 traceparent: context.trace.traceparent))
        } + [StageEvents.order(order, .shipped, version: version, context) { data in
            data.trackingNumber = parcels.first?.trackingNumber
            data.carrier = parcels.first?.carrier
            data.estimatedDelivery = parcels.compactMap(\.estimatedDelivery).max()
            data.parcels = parcels
        }]
    }

    private func writeLabel(_ order: Order, _ label: PurchasedLabel, _ plan: LabelPlan, name: String,
                            _ context: HandlerContext) throws {
        // The location's address from the routing rules file; without one, its name and country.
        let route = plan.route
        let warehouse = routing.addresses[route.location]
            ?? PostalAddress(name: "Warehouse \(route.location)", lines: [], city: "", country: route.originCountry)
        let document = ShippingLabel(from: warehouse, order: order, carrier: label.carrier, service: label.service,
                                     weightGrams: plan.weight, trackingNumber: label.trackingNumber,
                                     shipDate: context.now, customs: plan.customs)
        try DocumentFiles.write(try document.pdf(), folder: directory + "/labels", name: name)
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

    /// A split order is delivered with its last parcel: records this one's
    /// delivery and counts the parcels not yet reported; nil when none is left.
    private func parcelsOnTheWay(_ order: Order, _ trackingNumbers: [String], _ command: ShipmentDelivered,
                                 _ context: HandlerContext) async throws -> Int? {
        try await orders.recordEffect(orderID: order.id, effect: Effect.delivered(tracking: command.trackingNumber),
                                      value: command.deliveredAt)
        let effects = try await orders.effects(orderID: order.id)
        let waiting = trackingNumbers.filter { effects[Effect.delivered(tracking: $0)] == nil }.count
        return waiting == 0 ? nil : waiting
    }

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
        let parcels = fields[OrderFields.trackingNumbers].map { $0.split(separator: ",").map(String.init) } ?? []
        guard tracking == command.trackingNumber || parcels.contains(command.trackingNumber) else {
            return .deadLetter(reason: "tracking number \(command.trackingNumber) is not order \(order.id)'s "
                + "(\(parcels.isEmpty ? tracking ?? "none yet" : parcels.joined(separator: ", "))); "
                + "check the carrier's message")
        }
        if parcels.count > 1, let waiting = try await parcelsOnTheWay(order, parcels, command, context) {
            _ = try await orders.record(orderID: order.id, stage: context.stage.rawValue,
                                        note: "parcel \(command.trackingNumber) delivered \(command.deliveredAt); "
                                            + "\(waiting) still on the way", at: context.now)
            return .done([])
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
