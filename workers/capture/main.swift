import Foundation
import OMSDomain
import OMSStore
import WorkerRuntime

// oms-capture: order.place, order.cancel and stock.restocked from oms.intake,
// and whatever oms.intake could not route (dead-lettered with the reason). A
// cancel after pick removes the order's packing slip from OMS_DOCUMENTS_DIR
// (default ./oms-documents), where oms-pick wrote it. OMS_HOLD_RULES names the
// hold rules file (HoldRules); without it nothing is held. On oms.work
// (routing key capture) it takes `oms hold release`.
await WorkerMain.run(stage: .capture, queues: [Stage.capture.queue, Topology.unrouted]) { connections, _ in
    CaptureHandler(orders: OrderStore(redis: connections.redis, retention: connections.retention),
                   inventory: InventoryStore(redis: connections.redis),
                   picklists: { [redis = connections.redis] in PicklistStore(redis: redis, location: $0) },
                   documents: ProcessInfo.processInfo.environment["OMS_DOCUMENTS_DIR"] ?? "oms-documents",
                   holds: try ProcessInfo.processInfo.environment["OMS_HOLD_RULES"].map { try HoldRules.read(path: $0) } ?? .none,
                   catalog: CatalogStore(redis: connections.redis))
}
