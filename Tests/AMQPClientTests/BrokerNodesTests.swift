import Testing
@testable import AMQPClient

@Suite("broker nodes of a cluster")
struct BrokerNodesTests {
    @Test("comma-separated URLs are the nodes, in order")
    func list() throws {
        let urls = try AMQPURL.list("amqp://guest:guest@127.0.0.1:5801/%2F,amqp://a:b@127.0.0.1:5802/shop")
        #expect(urls == [AMQPURL(host: "127.0.0.1", port: 5801),
                         AMQPURL(host: "127.0.0.1", port: 5802, user: "a", password: "b", virtualHost: "shop")])
        #expect(try AMQPURL.list("amqp://localhost") == [AMQPURL(host: "localhost")])
        #expect(throws: AMQPError.self) { try AMQPURL.list("amqp://a:5801,") }
    }

    @Test("a connection starts on the first node and moves round the list, one node staying put")
    func rotation() {
        let urls = [5801, 5802, 5803].map { AMQPURL(port: $0) }
        var nodes = BrokerNodes(urls)
        var visited = [nodes.url.port]
        for _ in 0..<4 {
            nodes.advance()
            visited.append(nodes.url.port)
        }
        #expect(visited == [5801, 5802, 5803, 5801, 5802])
        var single = BrokerNodes([AMQPURL(port: 5672)])
        single.advance()
        #expect(single.url.port == 5672)
    }
}
