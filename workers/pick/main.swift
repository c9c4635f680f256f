import Foundation
import Fulfilment
import OMSStore
import WorkerRuntime

// oms-pick: paid orders onto the picklists of the warehouse they ship from
// (OMS_ROUTING_RULES, as oms-ship), batched by OMS_PICK_WINDOW_MS (default
// 2000: orders within one window share a picklist); packing slips and
// picklists written under OMS_DOCUMENTS_DIR (default ./oms-documents).
await WorkerMain.run(stage: .pick) { connections, logger in
    let environment = ProcessInfo.processInfo.environment
    let table = try ConfigFile.read(variable: "OMS_RATE_TABLE").map { try RateTable.decode(from: $0) } ?? .default
    let routing = try ConfigFile.read(variable: "OMS_ROUTING_RULES").map { try RoutingRules.decode(from: $0) }
        ?? .default
    let settings = PickSettings(
        directory: environment["OMS_DOCUMENTS_DIR"] ?? "oms-documents",
        routing: routing, defaultItemWeightGrams: table.defaultItemWeightGrams,
        window: .milliseconds(Int(environment["OMS_PICK_WINDOW_MS"] ?? "") ?? 2_000),
        mostOrdersPerPicklist: Int(environment["OMS_PICKLIST_MAX_ORDERS"] ?? "") ?? 50)
    let redis = connections.redis
    let picklists: @Sendable (String) -> PicklistStore = { PicklistStore(redis: redis, location: $0) }
    let inventory = InventoryStore(redis: redis)
    let writer = PicklistWriter(picklists: picklists, inventory: inventory, settings: settings, logger: logger)
    Task { await writer.run() }
    return PickHandler(orders: OrderStore(redis: redis, retention: connections.retention), inventory: inventory,
                       picklists: picklists, settings: settings)
}
