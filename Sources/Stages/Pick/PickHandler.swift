import Documents
import Foundation
import Fulfilment
import OMSDomain
import OMSStore
import ServiceLifecycle
import WorkerRuntime

/// Puts paid orders (handed over by `order.paid`) on the picklists of the warehouse they ship from (batch
/// picking) and writes each order's packing slip; the order moves to picked
/// and its `order.picked` event hands it to ship.
public struct PickHandler: StageHandler {
    let orders: any OrderRecords
    let inventory: any StockLedger
    let picklists: @Sendable (String) -> any PicklistBook
    let settings: PickSettings
    /// The picklist writer, run beside the worker and stopped after it.
    public let services: [any Service]

    public init(orders: any OrderRecords, inventory: any StockLedger,
                picklists: @escaping @Sendable (String) -> any PicklistBook, settings: PickSettings,
                services: [any Service]) {
        self.orders = orders
        self.inventory = inventory
        self.picklists = picklists
        self.settings = settings
        self.services = services
    }

    public func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        guard let handoff = try? Handoff.decode(routingKey: message.routingKey, body: message.body),
              handoff.action == .pick else {
            return .deadLetter(reason: "not a pick hand-off (expected {\"action\": \"pick\", \"order\": …})")
        }
        let order = handoff.order
        var context = context
        context.identify(orderID: order.id)
        do {
            let (stored, fields) = try await orders.status(orderID: order.id, with: StockPlacement.fieldNames)
            switch HandoffStep(stored: stored, start: .paid, target: .picked) {
            case .proceed: break
            case .announce(let version):
                let version = try await orders.repeatTransition(orderID: order.id, to: .picked,
                                                                stage: context.stage.rawValue, at: context.now) ?? version
                return .done(afterPicking(order, version: version, context))
            case .behind(let status):
                return .retry(reason: HandoffStep.behindReason(order.id, status, start: .paid))
            case .skip(let status):
                // Cancelled after a pick whose event a crash left unsent: that event, once more.
                guard status == .cancelled else { return .done([]) }
                let picked = try await orders.transitionVersion(orderID: order.id, to: .picked)
                return .done(picked.map { afterPicking(order, version: $0, context) } ?? [])
            case .missing: return .deadLetter(reason: HandoffStep.missingReason(order.id))
            }
            return try await pick(order, placement: try StockPlacement(fields: fields), context)
        } catch {
            return .failed(error)
        }
    }

    /// One box of the order: the whole of it, or one parcel.
    private struct Box {
        var location: String
        var content: Order
        var parcel: Parcel?
    }

    private func pick(_ order: Order, placement: StockPlacement, _ context: HandlerContext) async throws -> Outcome {
        let boxes = boxes(of: order, placement)
        let bins = try await inventory.locations(of: order.lines.map(\.sku))
        var picklistIDs: [String] = []
        for box in boxes {
            picklistIDs.append(try await picklists(box.location).assign(
                orderID: order.id, lines: box.content.lines.map { .init(sku: $0.sku, quantity: $0.quantity) },
                at: context.now, window: settings.window, mostOrders: settings.mostOrdersPerPicklist))
            try writePackingSlip(box, of: boxes.count, bins: bins, context)
        }
        let fields = placement.parcels.isEmpty
            ? ["picklist": picklistIDs[0], OrderFields.pickLocation: boxes[0].location]
            : ["picklist": picklistIDs.joined(separator: ",")]
        let note = placement.parcels.isEmpty ? "on picklist \(picklistIDs[0])"
            : "on picklists " + zip(boxes, picklistIDs).map { box, id in
                "\(id) (parcel \(box.parcel?.number ?? 1) at \(box.location))"
            }.joined(separator: ", ")
        let result = try await orders.transition(orderID: order.id, to: .picked, stage: context.stage.rawValue,
                                                 note: note, fields: fields, at: context.now)
        guard let version = result.version else {
            // Cancelled while it was being picked: nothing of it stays for the warehouse.
            try await PickedBoxes.void(orderID: order.id, parcels: placement.parcels,
                                       pickLocation: placement.parcels.isEmpty ? boxes[0].location : nil,
                                       picklists: picklists, slips: packingSlips)
            return .done([])
        }
        return .done(afterPicking(order, version: version, context))
    }

    /// Each parcel at its location; an order in one box where capture
    /// reserved its stock (when the SKUs are stocked per location) or where
    /// the routing rules send it.
    private func boxes(of order: Order, _ placement: StockPlacement) -> [Box] {
        guard placement.parcels.isEmpty else {
            return placement.parcels.map { Box(location: $0.location, content: order.only($0), parcel: $0) }
        }
        let weight = order.shippingWeightGrams(defaultItemWeightGrams: settings.defaultItemWeightGrams)
        let location = settings.routing.route(order, weightGrams: weight, stockLocation: placement.location).location
        return [Box(location: location, content: order, parcel: nil)]
    }

    private func afterPicking(_ order: Order, version: Int, _ context: HandlerContext) -> [OutgoingMessage] {
        [StageEvents.order(order, .picked, version: version, context)]
    }

    /// `bins`: the bin of each of the order's SKUs, read once for every box.
    private func writePackingSlip(_ box: Box, of count: Int, bins: [String: String],
                                  _ context: HandlerContext) throws {
        let slip = PackingSlip(order: box.content, date: context.now, locations: bins,
                               parcel: box.parcel.map { "\($0.number) of \(count), from \($0.location)" })
        try DocumentFiles.write(slip.pdf(), folder: packingSlips,
                                name: DocumentFiles.orderDocument(box.content.id, parcel: box.parcel?.number))
    }

    private var packingSlips: String { settings.directory + "/packing-slips" }
}

/// Where pick writes, and how it batches.
public struct PickSettings: Sendable {
    /// The documents folder (OMS_DOCUMENTS_DIR).
    var directory: String
    /// Which warehouse each order is picked in (the same rules as ship's).
    var routing: RoutingRules
    var defaultItemWeightGrams: Int
    /// Orders arriving within this long share a picklist.
    var window: Duration
    var mostOrdersPerPicklist: Int

    public init(directory: String, routing: RoutingRules, defaultItemWeightGrams: Int, window: Duration,
                mostOrdersPerPicklist: Int) {
        self.directory = directory
        self.routing = routing
        self.defaultItemWeightGrams = defaultItemWeightGrams
        self.window = window
        self.mostOrdersPerPicklist = mostOrdersPerPicklist
    }
}
