import OMSStore
import Stages
import WorkerRuntime

// oms-return: order.return → return authorisation; goods received → sellable
// lines restocked, returned, refund of the returned lines' value.
await WorkerMain.run(stage: .return) { connections, _ in
    ReturnHandler(orders: OrderStore(redis: connections.redis, retention: connections.retention))
}
