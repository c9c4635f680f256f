import Foundation
import Fulfilment
import OMSContract
import OMSDomain
import OMSStore
import WorkerRuntime

/// Where an order enters: validated, stored, and reserved or backordered.
///
/// Every step is idempotent, and what a step publishes is derived from the
/// order's stored status, so a message delivered again after a crash anywhere
/// finishes the work and publishes the same messages again, changing nothing
/// twice. Redis errors are transient: the message is retried.
public struct CaptureHandler: StageHandler {
    let orders: any OrderRecords
    let inventory: any StockLedger
    /// A location's picklists, where a cancel after pick takes the order's lines off.
    let picklists: @Sendable (String) -> any PicklistBook
    /// The documents folder, where oms-pick wrote the packing slips.
    let documents: String
    /// When an order is held for a person to look at (OMS_HOLD_RULES).
    let holds: HoldRules
    /// Titles, weights, HS codes and origins for lines that came without them.
    let catalog: any ProductCatalog
    /// The delivery date the confirmation promises.
    let promise: DeliveryPromise
    /// Backorders looked at per restock message.
    let backorderBatch = 500

    public init(orders: any OrderRecords, inventory: any StockLedger,
                picklists: @escaping @Sendable (String) -> any PicklistBook, documents: String, holds: HoldRules,
                catalog: any ProductCatalog, promise: DeliveryPromise) {
        self.orders = orders
        self.inventory = inventory
        self.picklists = picklists
        self.documents = documents
        self.holds = holds
        self.catalog = catalog
        self.promise = promise
    }

    public func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        if message.routingKey == Stage.capture.rawValue {
            return await release(message, context)
        }
        let intake: IntakeMessage
        do {
            intake = try IntakeMessage.decode(routingKey: message.routingKey, body: message.body)
        } catch {
            return await refuse(message, error, context)
        }
        do {
            switch intake {
            case .place(let order): return try await place(order, context)
            case .cancel(let cancel): return try await self.cancel(cancel, context)
            case .restocked(let restock): return try await self.restock(restock, message, context)
            case .returnRequest, .delivered:
                return .deadLetter(reason: "oms-capture does not take \(message.routingKey); check the bindings of "
                    + "\(Topology.intake)")
            }
        } catch {
            return .failed(error)
        }
    }

    // MARK: - order.place

    /// The order is stored completed from the catalog; its content hash is
    /// of what the channel sent, so a redelivery is a duplicate however the
    /// catalog changed in between.
    private func place(_ incoming: Order, _ context: HandlerContext) async throws -> Outcome {
        var context = context
        context.identify(orderID: incoming.id)
        let sent = OrderCoding.encode(incoming)
        let order = incoming.completed(from: try await catalog.products(skus: incoming.lines.map(\.sku)))
        let creation = try await orders.create(orderID: order.id, channel: order.channel,
                                               document: OrderCoding.encode(order),
                                               contentHash: OrderCoding.contentHash(sent), at: context.now,
                                               stage: context.stage.rawValue)
        switch CreationStep(creation) {
        case .refuse:
            return .deadLetter(reason: CreationStep.conflictReason(order.id))
        case .announce:
            // A capture killed after its Redis steps and before its publishes
            // left their events unsent: every event of capture's steps again
            // (same ids), whatever the order did since.
            let captured = try await orders.history(orderID: order.id).filter {
                $0.isTransition && $0.stage == context.stage.rawValue
            }
            let placement = try await StockPlacement.read(orderID: order.id, from: orders)
            return .done([event(order, .received, version: 1, context)] + captured.flatMap {
                messagesAfterCapture(order, status: $0.to, version: $0.version, placement: placement, context)
            })
        case .settle:
            let received = event(order, .received, version: 1, context)
            if let reason = try await holdReason(order, context) {
                let result = try await orders.transition(orderID: order.id, to: .onHold, stage: context.stage.rawValue,
                                                         note: reason, fields: ["reason": reason], at: context.now)
                guard let version = result.version else { return .done([received]) }
                return .done([received, event(order, .onHold, version: version, reason: reason, context)])
            }
            return .done([received] + (try await reserve(order, context)))
        }
    }

    /// The first hold rule the order meets, if any.
    private func holdReason(_ order: Order, _ context: HandlerContext) async throws -> String? {
        let recent = holds.countsOrdersPerEmail
            ? try await orders.recentOrders(email: order.customer.email, orderID: order.id, at: order.placedAt,
                                            within: .seconds(3600))
            : 0
        return holds.reason(toHold: order, ordersFromEmailInLastHour: recent)
    }

    // MARK: - Hold release

    /// `oms hold release`: the held order reserves its stock and goes on,
    /// confirmed or backordered. A redelivery after that publishes the same
    /// messages again; an order that left on_hold otherwise (cancelled) is left alone.
    private func release(_ message: IncomingMessage, _ context: HandlerContext) async -> Outcome {
        let release: HoldRelease
        do {
            release = try HoldRelease.decode(message.body)
        } catch {
            return .deadLetter(reason: "not a hold release for oms-capture: \(error)")
        }
        var context = context
        context.identify(orderID: release.orderID)
        do {
            guard let stored = try await orders.document(orderID: release.orderID),
                  let order = try? OrderCoding.decode(stored),
                  let (status, version) = try await orders.status(orderID: release.orderID) else {
                return .deadLetter(reason: "order \(release.orderID) does not exist; nothing to release")
            }
            switch ReleaseStep(status: status) {
            case .reserve:
                return .done(try await reserve(order, context))
            case .announce:
                return .done(messagesAfterCapture(order, status: status, version: version,
                                                  placement: try await StockPlacement.read(orderID: order.id, from: orders), context))
            case .nothing:
                context.logger.notice("nothing to release", metadata: ["status": "\(status.rawValue)"])
                return .done([])
            }
        } catch {
            return .failed(error)
        }
    }

    private func reserve(_ order: Order, _ context: HandlerContext) async throws -> [OutgoingMessage] {
        let (reservation, placement) = try await reserveStock(of: order)
        switch reservation {
        case .reserved(let lowStock, _):
            let result = try await orders.transition(orderID: order.id, to: .confirmed, stage: context.stage.rawValue,
                                                     note: placement.note, fields: placement.fields, at: context.now)
            return try await afterReserving(order, result, lowStock: lowStock, placement: placement, context)
        case .short(let skus):
            try await inventory.addBackorder(orderID: order.id, skus: order.lines.map(\.sku), receivedAt: context.now)
            let note = "short of \(skus.joined(separator: ", "))"
            let result = try await orders.transition(orderID: order.id, to: .backordered, stage: context.stage.rawValue,
                                                     note: note, fields: ["reason": note], at: context.now)
            guard let version = result.version else { return [] }
            return [event(order, .backordered, version: version, reason: note, context)]
        }
    }

    /// Every line, held at the first location (by `RoutingRules.locationsByPreference`)
    /// that has them all when the SKUs are stocked per location, else in parcels;
    /// and where that is (empty when short).
    private func reserveStock(of order: Order) async throws -> (Reservation, StockPlacement) {
        let weight = order.shippingWeightGrams(defaultItemWeightGrams: promise.carrier.table.defaultItemWeightGrams)
        let preference = promise.routing.locationsByPreference(for: order, weightGrams: weight)
        let reservation = try await inventory.reserve(orderID: order.id,
                                                      lines: order.lines.map { ($0.sku, $0.quantity) },
                                                      locations: preference)
        return (reservation, StockPlacement(order: order, reservation: reservation, preference: preference))
    }

    /// After the order's lines were reserved: confirmed, and handed to payment.
    /// If the order moved on meanwhile (cancelled while we reserved), the
    /// stock goes back.
    private func afterReserving(_ order: Order, _ result: Transition, lowStock: [LowStock], placement: StockPlacement,
                                _ context: HandlerContext) async throws -> [OutgoingMessage] {
        let alerts = lowStock.map { stockLow($0, context) }
        guard let version = result.version else {
            _ = try await inventory.release(orderID: order.id, skus: order.lines.map(\.sku))
            return alerts
        }
        return alerts + messagesAfterCapture(order, status: .confirmed, version: version, placement: placement, context)
    }

    /// What capture publishes for an order it has left in `status`: again on a
    /// redelivery, so that nothing is lost between Redis and the broker.
    private func messagesAfterCapture(_ order: Order, status: OrderStatus, version: Int, placement: StockPlacement,
                                      _ context: HandlerContext) -> [OutgoingMessage] {
        switch status {
        case .confirmed:
            // The event hands the order to payment, and tells the customer when to expect it.
            [StageEvents.order(order, .confirmed, version: version, context) { data in
                data.estimatedDelivery = placement.promisedDate(order, promise, confirmedAt: context.now)
            }]
        case .backordered:
            [event(order, .backordered, version: version, context)]
        case .onHold:
            [event(order, .onHold, version: version, context)]
        default:
            []
        }
    }

    // MARK: - order.cancel

    /// A cancel is honoured whenever the lifecycle allows it. One that
    /// arrives before capture has settled its order (published right behind
    /// it, and taken first or alongside) is retried until the order is
    /// confirmed or backordered; one for an order that never arrives is
    /// dead-lettered once the retries are used up.
    private func cancel(_ cancel: OrderCancel, _ context: HandlerContext) async throws -> Outcome {
        var context = context
        context.identify(orderID: cancel.orderID)
        guard let stored = try await orders.document(orderID: cancel.orderID),
              let order = try? OrderCoding.decode(stored) else {
            return .retry(reason: "order \(cancel.orderID) does not exist (yet); nothing to cancel")
        }
        let reason = cancel.reason ?? "cancelled on request"
        let result = try await orders.transition(orderID: order.id, to: .cancelled, stage: context.stage.rawValue,
                                                 note: reason, fields: ["reason": reason], counting: [:],
                                                 unless: Effect.labelClaim, at: context.now)
        switch CancelStep(result) {
        case .cancelled(let version, let mayBeOnPicklist):
            // The status moved first, so no other stage can still use the stock:
            // picked items go back to their bins, off the picklist.
            let skus = order.lines.map(\.sku)
            _ = try await inventory.release(orderID: order.id, skus: skus)
            try await inventory.removeBackorder(orderID: order.id, skus: skus)
            // The location is read after the move, so a pick that won just before is seen.
            if mayBeOnPicklist { try await takeOffPicklists(order) }
            var messages = [event(order, .cancelled, version: version, reason: reason, context)]
            if try await orders.effect(orderID: order.id, effect: Effect.charge) != nil {
                // Paid already: payment gives the money back (once, by its idempotency key).
                messages.append(OutgoingMessage(exchange: Topology.work, routingKey: Stage.payment.rawValue,
                                                body: Handoff(action: .refund, order: order, reason: reason).encoded(),
                                                messageID: "\(order.id):refund"))
            }
            return .done(messages)
        case .wait:
            return .retry(reason: "order \(order.id) is still being captured; the cancel waits until it settles")
        case .refused(let current, let version, let why):
            _ = try await orders.record(orderID: order.id, stage: context.stage.rawValue,
                                        note: "cancel refused: \(why)", at: context.now)
            context.logger.notice("cancel refused", metadata: [LogKey.orderID: "\(order.id)",
                                                               "status": "\(current.rawValue)"])
            guard CancelStep.tooLate.contains(current) else { return .done([]) }
            return .done([cancelRefused(order, current, version: version, why: why, context)])
        case .missing:
            return .deadLetter(reason: "order \(cancel.orderID) does not exist; nothing to cancel")
        }
    }

    /// A cancel of an order pick may have reached: off its picklists, its slips gone.
    private func takeOffPicklists(_ order: Order) async throws {
        let fields = try await orders.status(orderID: order.id,
                                             with: [OrderFields.pickLocation, OrderFields.parcels]).fields
        try await PickedBoxes.void(orderID: order.id, parcels: try Parcel.decode(fields[OrderFields.parcels]),
                                   pickLocation: fields[OrderFields.pickLocation], picklists: picklists,
                                   slips: documents + "/packing-slips")
    }

    // MARK: - stock.restocked

    /// Adds the stock, then confirms backordered orders for the SKU, oldest
    /// first, while it lasts. An order leaves the backorder list only after
    /// its messages are confirmed by the broker, so a crash half-way through
    /// leaves it to be found (and published) again.
    private func restock(_ restock: StockRestocked, _ message: IncomingMessage,
                         _ context: HandlerContext) async throws -> Outcome {
        let restockID = restock.restockID ?? message.messageID.map { "message:\($0)" }
        _ = try await inventory.restock(sku: restock.sku, quantity: restock.quantity, restockID: restockID,
                                        location: restock.location)
        for orderID in try await inventory.backorders(sku: restock.sku, limit: backorderBatch) {
            guard let (status, version) = try await orders.status(orderID: orderID),
                  let stored = try await orders.document(orderID: orderID),
                  let order = try? OrderCoding.decode(stored) else { continue }
            switch RestockStep(status: status) {
            case .wait:
                continue
            case .reserve:
                let (reservation, placement) = try await reserveStock(of: order)
                guard case .reserved(let lowStock, _) = reservation else {
                    if try await inventory.levels(sku: restock.sku).map({ $0.available > 0 }) == true { continue }
                    return .done([])
                }
                let result = try await orders.transition(orderID: orderID, to: .confirmed,
                                                         stage: context.stage.rawValue,
                                                         note: "restocked: \(restock.sku); \(placement.note)",
                                                         fields: placement.fields, at: context.now)
                try await context.publish(try await afterReserving(order, result, lowStock: lowStock,
                                                                   placement: placement, context))
            case .announce:
                try await context.publish(messagesAfterCapture(order, status: .confirmed, version: version,
                                                               placement: try await StockPlacement.read(orderID: order.id, from: orders), context))
            case .drop:
                break
            }
            try await inventory.removeBackorder(orderID: orderID, skus: order.lines.map(\.sku))
        }
        return .done([])
    }

    // MARK: - Refusals

    /// Bad input is dead-lettered with the reason. An order whose id can be
    /// read is also recorded as rejected, so `oms status` can say why.
    private func refuse(_ message: IncomingMessage, _ error: IntakeMessage.DecodingError,
                        _ context: HandlerContext) async -> Outcome {
        let reason = error.description
        guard message.routingKey == IntakeMessage.RoutingKey.orderPlace.rawValue, case .invalid = error,
              case .object(let fields)? = JSONValue.parse(message.body),
              case .string(let id)? = fields["id"], Order.isValidID(id) else {
            return .deadLetter(reason: reason)
        }
        do {
            let channel: String = if case .string(let value)? = fields["channel"], Order.isValidID(value) {
                value
            } else { "unknown" }
            let created = try await orders.create(orderID: id, channel: channel, document: message.body,
                                                  contentHash: OrderCoding.contentHash(message.body),
                                                  at: context.now, stage: context.stage.rawValue)
            if case .conflict = created { return .deadLetter(reason: reason) }
            let result = try await orders.transition(orderID: id, to: .rejected, stage: context.stage.rawValue,
                                                     note: reason, fields: ["reason": reason], at: context.now)
            guard let version = result.version else { return .deadLetter(reason: reason) }
            var data = OrderEventData(orderID: id, status: .rejected, version: version, channel: channel,
                                      previousStatus: .received)
            data.reason = String(reason.prefix(500))
            return .deadLetter(reason: reason, publish: [StageEvents.message(.order(
                data, stage: context.stage.rawValue, time: context.now, traceparent: context.trace.traceparent))])
        } catch {
            return .failed(error)
        }
    }

    // MARK: - Events

    private func event(_ order: Order, _ status: OrderStatus, version: Int, reason: String? = nil,
                       _ context: HandlerContext) -> OutgoingMessage {
        StageEvents.order(order, status, version: version, reason: reason, context)
    }

    private func cancelRefused(_ order: Order, _ current: OrderStatus, version: Int, why: String,
                               _ context: HandlerContext) -> OutgoingMessage {
        var data = OrderEventData(orderID: order.id, status: current, version: version, channel: order.channel)
        data.describe(order)
        data.reason = why
        return StageEvents.message(.cancelRefused(data, stage: context.stage.rawValue, time: context.now,
                                                  traceparent: context.trace.traceparent))
    }

    private func stockLow(_ low: LowStock, _ context: HandlerContext) -> OutgoingMessage {
        StageEvents.message(.stockLow(StockLowData(sku: low.sku, available: low.available,
                                                   reorderPoint: low.reorderPoint),
                                      stage: context.stage.rawValue, time: context.now,
                                      traceparent: context.trace.traceparent))
    }
}

