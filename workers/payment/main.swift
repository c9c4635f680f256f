import OMSSettings
import OMSStore
import Stages
import WorkerRuntime

// oms-payment: charges confirmed orders through the payment gateway and
// refunds cancels after payment and returns. OMS_GATEWAY_LATENCY_MS models a
// real processor's response time in the sandbox gateway.
await WorkerMain.run(stage: .payment) { connections, _ in
    let latency = try OMSSetting.gatewayLatency.value()
    return PaymentHandler(orders: OrderStore(redis: connections.redis, retention: connections.retention),
                          inventory: InventoryStore(redis: connections.redis),
                          gateway: SandboxGateway(redis: connections.redis, latency: .milliseconds(latency)))
}
