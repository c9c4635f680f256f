import OMSStore
import WorkerRuntime

// oms-capture: order.place, order.cancel and stock.restocked from oms.intake,
// and whatever oms.intake could not route (dead-lettered with the reason).
await WorkerMain.run(stage: .capture, queues: [Stage.capture.queue, Topology.unrouted]) { connections, _ in
    CaptureHandler(orders: OrderStore(redis: connections.redis, retention: connections.retention),
                   inventory: InventoryStore(redis: connections.redis))
}
