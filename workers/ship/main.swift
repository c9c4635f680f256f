import Fulfilment
import OMSSettings
import OMSStore
import Stages
import WorkerRuntime

// oms-ship: labels and tracking numbers from the table-rate carrier
// (OMS_RATE_TABLE: a rate table file, else the built-in one), routing by
// OMS_ROUTING_RULES (else ship everything from MAIN, GB), label PDFs under
// OMS_DOCUMENTS_DIR (default ./oms-documents); shipment.delivered → delivered.
await WorkerMain.run(stage: .ship) { connections, _ in
    let table = try ConfigFile.read(OMSSetting.rateTable).map { try RateTable.decode(from: $0) } ?? .default
    let routing = try ConfigFile.read(OMSSetting.routingRules).map { try RoutingRules.decode(from: $0) } ?? .default
    return ShipHandler(orders: OrderStore(redis: connections.redis, retention: connections.retention),
                       inventory: InventoryStore(redis: connections.redis),
                       carrier: TableRateCarrier(table: table), dispatch: table.dispatch, routing: routing,
                       defaultItemWeightGrams: table.defaultItemWeightGrams,
                       directory: try OMSSetting.documentsDirectory.value())
}
