import AMQPClient
import OMSContract
import OMSDomain

extension HoldRelease {
    /// What `oms hold release` sends capture: on `oms.work`, routing key `capture`.
    public var message: AMQPMessage {
        AMQPMessage(exchange: Topology.work, routingKey: Stage.capture.rawValue, body: encoded(),
                    messageID: "\(orderID):release")
    }
}
