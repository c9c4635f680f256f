import Fulfilment
import OMSSettings
import OMSStore
import Stages
import WorkerRuntime

// oms-pick: paid orders onto the picklists of the warehouse they ship from
// (OMS_ROUTING_RULES, as oms-ship), batched by OMS_PICK_WINDOW_MS (default
// 2000: orders within one window share a picklist); packing slips and
// picklists written under OMS_DOCUMENTS_DIR (default ./oms-documents).
await WorkerMain.run(stage: .pick) { connections, logger in
    let table = try ConfigFile.read(OMSSetting.rateTable).map { try RateTable.decode(from: $0) } ?? .default
    let routing = try ConfigFile.read(OMSSetting.routingRules).map { try RoutingRules.decode(from: $0) } ?? .default
    let settings = PickSettings(
        directory: try OMSSetting.documentsDirectory.value(),
        routing: routing, defaultItemWeightGrams: table.defaultItemWeightGrams,
        window: .milliseconds(try OMSSetting.pickWindow.value()),
        mostOrdersPerPicklist: try OMSSetting.picklistMostOrders.value())
    let redis = connections.redis
    let picklists: @Sendable (String) -> any PicklistBook = { PicklistStore(redis: redis, location: $0) }
    let inventory = InventoryStore(redis: redis)
    let writer = PicklistWriter(picklists: picklists, inventory: inventory, settings: settings, logger: logger)
    return PickHandler(orders: OrderStore(redis: redis, retention: connections.retention), inventory: inventory,
                       picklists: picklists, settings: settings, services: [writer])
}
