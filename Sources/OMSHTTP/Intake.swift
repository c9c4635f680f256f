import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import WorkerRuntime

/// Publishes commands onto `oms.intake`; each call returns once the broker
/// confirmed the message, and throws when it did not.
struct Intake: Sendable {
    let amqp: AMQPConnection

    func publish(_ routingKey: IntakeMessage.RoutingKey, body: [UInt8], messageID: String? = nil) async throws {
        try await amqp.publish(AMQPMessage(exchange: Topology.intake, routingKey: routingKey.rawValue, body: body,
                                           messageID: messageID,
                                           timestamp: UInt64(Date().timeIntervalSince1970)))
    }

    /// An `order.cancel` body, to check with `IntakeCheck` and publish.
    static func cancelBody(orderID: String, reason: String) -> [UInt8] {
        let object = ["order_id": orderID, "reason": reason]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
