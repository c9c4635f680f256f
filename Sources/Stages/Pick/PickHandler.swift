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
            let (stored, fields) = try await orders.status(orderID: order.id, with: [OrderFields.stockLocation])
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
            let weight = order.shippingWeightGrams(defaultItemWeightGrams: settings.defaultItemWeightGrams)
            // Where capture reserved the stock, when the SKUs are stocked per location.
            let location = settings.routing.route(order, weightGrams: weight,
                                                  stockLocation: fields[OrderFields.stockLocation]).location
            let picklist = try await picklists(location).assign(
                orderID: order.id, lines: order.lines.map { .init(sku: $0.sku, quantity: $0.quantity) },
                at: context.now, window: settings.window, mostOrders: settings.mostOrdersPerPicklist)
            try await writePackingSlip(order, context)
            let result = try await orders.transition(orderID: order.id, to: .picked, stage: context.stage.rawValue,
                                                     note: "on picklist \(picklist)",
                                                     fields: ["picklist": picklist, OrderFields.pickLocation: location],
                                                     at: context.now)
            guard let version = result.version else {
                // Cancelled while it was being picked: nothing of it stays for the warehouse.
                try await picklists(location).void(orderID: order.id)
                DocumentFiles.remove(folder: packingSlips, name: "\(order.id).pdf")
                return .done([])
            }
            return .done(afterPicking(order, version: version, context))
        } catch {
            return .failed(error)
        }
    }

    private func afterPicking(_ order: Order, version: Int, _ context: HandlerContext) -> [OutgoingMessage] {
        [StageEvents.order(order, .picked, version: version, context)]
    }

    private func writePackingSlip(_ order: Order, _ context: HandlerContext) async throws {
        let locations = try await inventory.locations(of: order.lines.map(\.sku))
        let slip = PackingSlip(order: order, date: context.now, locations: locations)
        try DocumentFiles.write(slip.pdf(), folder: packingSlips, name: "\(order.id).pdf")
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
