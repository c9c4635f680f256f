import Fulfilment
import OMSContract
import OMSDomain
import OMSSettings
import OMSStore
import Stages
import WorkerRuntime

// oms-capture: order.place, order.cancel and stock.restocked from oms.intake,
// and whatever oms.intake could not route (dead-lettered with the reason). A
// cancel after pick removes the order's packing slip from OMS_DOCUMENTS_DIR
// (default ./oms-documents), where oms-pick wrote it. OMS_HOLD_RULES names the
// hold rules file (HoldRules); without it nothing is held. On oms.work
// (routing key capture) it takes `oms hold release`. The confirmation's
// delivery estimate uses the same OMS_RATE_TABLE and OMS_ROUTING_RULES as oms-ship.
await WorkerMain.run(stage: .capture, queues: [Stage.capture.queue, Topology.unrouted]) { connections, _ in
    let table = try ConfigFile.read(OMSSetting.rateTable).map { try RateTable.decode(from: $0) } ?? .default
    let routing = try ConfigFile.read(OMSSetting.routingRules).map { try RoutingRules.decode(from: $0) } ?? .default
    return CaptureHandler(
        orders: OrderStore(redis: connections.redis, retention: connections.retention),
        inventory: InventoryStore(redis: connections.redis),
        picklists: { [redis = connections.redis] in PicklistStore(redis: redis, location: $0) },
        documents: try OMSSetting.documentsDirectory.value(),
        holds: try OMSSetting.holdRules.value().map { try HoldRules.read(path: $0) } ?? .none,
        catalog: CatalogStore(redis: connections.redis),
        promise: DeliveryPromise(routing: routing, carrier: TableRateCarrier(table: table)))
}
