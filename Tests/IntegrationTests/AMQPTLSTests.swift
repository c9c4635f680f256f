import AMQPClient
import Foundation
import Testing

/// amqps:// through rabbitmq-c's SSL socket, against a private node with a
/// TLS listener and a CA made for it by scripts/services (OMS_AMQPS_PORT).
@Suite("AMQP over TLS")
struct AMQPTLSTests {
    @Test("amqps with the node's CA: messages go and come over TLS; without that CA, or under another name, refused")
    func overTLS() async throws {
        try await PrivateServers.with(["rabbitmq"], brokerTLS: true) { servers in
            let connection = try await AMQPTestSupport.connect(url: servers.amqpsURL, name: "oms-tls-test")
            let queue = AMQPTestSupport.uniqueName("tls")
            try await connection.declare(AMQPTopology(queues: [AMQPTestSupport.quorumQueue(queue)]))
            try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: Array("sealed".utf8)))
            let inbox = await Inbox(try await connection.consume(queue: queue, prefetch: 1))
            #expect(await inbox.first().map { String(decoding: $0.body, as: UTF8.self) } == "sealed")
            let connections = try await servers.rabbitmqctl("list_connections", "name", "ssl", "ssl_protocol")
            #expect(connections.contains("\ttrue\ttlsv1"), "the connection is TLS: \(connections)")
            await connection.close()

            let port = servers.environment["OMS_AMQPS_PORT"]!
            let systemCAOnly = "amqps://guest:guest@localhost:\(port)/%2F"
            let otherName = "amqps://guest:guest@127.0.0.1:\(port)/%2F?cacertfile=\(servers.brokerCAFile)"
            for url in [systemCAOnly, otherName] {
                let error = await #expect(throws: AMQPError.self) {
                    try await AMQPConnection.connect(AMQPConfiguration(url: try AMQPURL(url), connectionName: "oms-tls-refused",
                                                                      connectTimeout: .seconds(5)))
                }
                #expect(error?.description.contains("TLS handshake with RabbitMQ failed") == true,
                        "\(url): \(String(describing: error))")
            }
        }
    }
}
