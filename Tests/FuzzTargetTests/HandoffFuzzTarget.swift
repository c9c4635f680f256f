@testable import AMQPClient
import CRabbitMQ
import OMSContract
@testable import OMSDomain
@testable import WorkerRuntime

/// What a worker must make of any delivery: its AMQP properties as the
/// broker sends them, decoded by rabbitmq-c and copied by AMQPClient, the
/// attempt and origin a worker reads from its headers, its trace context,
/// and its body as a hand-off. libFuzzer runs it as the `handoff` target
/// (fuzz/run); FuzzRegressionTests replays every input it once failed on (fuzz/regressions/handoff).
///
/// An input is a two-byte big-endian length, that many bytes of basic-class
/// properties (the content header frame's flags and property list), then the
/// body. The delivery comes from `oms.retry.due`, so its routing key is the
/// one its headers name when they name one.
///
/// Beyond not crashing: the fast readers agree with JSONDecoder wherever
/// both read a hand-off or an event, and a hand-off's bytes read back into
/// the very same bytes.
enum HandoffFuzzTarget {
    /// The promises the input broke; empty when they held.
    static func check(_ input: [UInt8]) -> [String] {
        guard input.count >= 2 else { return [] }
        let propertiesLength = min(Int(input[0]) << 8 | Int(input[1]), input.count - 2)
        let properties = Array(input[2..<2 + propertiesLength])
        let body = Array(input[(2 + propertiesLength)...])
        guard let delivery = delivery(properties: properties, body: body) else { return [] }
        let received = Received(delivery)
        _ = TraceContext(traceparent: delivery.headers[Headers.traceparent]?.string)
        _ = try? Handoff.decode(routingKey: received.routingKey, body: delivery.body)

        var broken: [String] = []
        if let handoff = JSONReader.read(body, { Handoff(reader: &$0) }) {
            if let slow = try? OrderCoding.decodeValue(Handoff.self, from: body), slow != handoff {
                broken.append("the fast hand-off reader read \(handoff) where JSONDecoder read \(slow)")
            }
            let encoded = handoff.encoded()
            let again = (try? Handoff.decode(encoded)).map { $0.encoded() }
            if again != encoded {
                broken.append("hand-off \(String(decoding: encoded, as: UTF8.self)) is read and written again as "
                              + (again.map { String(decoding: $0, as: UTF8.self) } ?? "an error"))
            }
        }
        if let event = JSONReader.read(body, { OrderEvent(reader: &$0) }),
           let slow = try? OrderCoding.decodeValue(OrderEvent.self, from: body), slow != event {
            broken.append("the fast event reader read \(event) where JSONDecoder read \(slow)")
        }
        return broken
    }

    /// The delivery a consumer makes of these bytes; nil when rabbitmq-c
    /// refuses the properties (the connection then fails, no delivery is made).
    private static func delivery(properties: [UInt8], body: [UInt8]) -> AMQPDelivery? {
        var pool = amqp_pool_t()
        init_amqp_pool(&pool, 4096)
        defer { empty_amqp_pool(&pool) }
        var properties = properties
        var body = body
        return properties.withUnsafeMutableBytes { encoded -> AMQPDelivery? in
            var decoded: UnsafeMutableRawPointer?
            let status = amqp_decode_properties(UInt16(AMQP_BASIC_CLASS), &pool,
                                                amqp_bytes_t(len: encoded.count, bytes: encoded.baseAddress), &decoded)
            guard status == AMQP_STATUS_OK.rawValue, let decoded else { return nil }
            return body.withUnsafeMutableBytes { bytes in
                var message = amqp_message_t()
                message.properties = decoded.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee
                message.body = amqp_bytes_t(len: bytes.count, bytes: bytes.baseAddress)
                let content = MessageContent(message)
                return AMQPDelivery(deliveryTag: 1, redelivered: false, exchange: Topology.retryDue,
                                    routingKey: "order.confirmed", body: content.body, headers: content.headers,
                                    contentType: content.contentType, messageID: content.messageID,
                                    correlationID: content.correlationID, timestamp: content.timestamp,
                                    queue: "oms.payment", channel: 1, connectionGeneration: 1)
            }
        }
    }
}
