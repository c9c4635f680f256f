import AMQPClient

struct AMQPBench {
    let connection: AMQPConnection
    let queue: String

    init(url: AMQPURL, queue: String) async throws {
        connection = try await AMQPConnection.connect(AMQPConfiguration(url: url, connectionName: "oms-client-bench"))
        self.queue = queue
        try? await connection.delete(queue: queue)
        try await connection.declare(AMQPTopology(queues: [.init(queue, arguments: QueueArgument.quorum)]))
    }

    /// Persistent messages with confirms, `window` at a time: messages per second.
    func publish(messages: Int, size: Int, window: Int) async throws -> Double {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let clock = ContinuousClock()
        let started = clock.now
        for start in stride(from: 0, to: messages, by: window) {
            let batch = (start..<min(start + window, messages)).map { _ in
                AMQPMessage(exchange: "", routingKey: queue, body: body, mandatory: false)
            }
            for result in await connection.publish(batch: batch) { try result.get() }
        }
        return perSecond(messages, clock.now - started)
    }

    /// Consume with `prefetch`, one multiple-ack every `ackEvery`: messages per second.
    func consume(messages: Int, prefetch: UInt16, ackEvery: Int) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        let consumer = try await connection.consume(queue: queue, prefetch: prefetch)
        var received = 0
        for try await delivery in consumer {
            received += 1
            if received % ackEvery == 0 || received == messages {
                try await connection.ack(delivery, multiple: true)
            }
            if received == messages { break }
        }
        let rate = perSecond(messages, clock.now - started)
        try await consumer.cancel()
        return rate
    }

    func finish() async {
        try? await connection.delete(queue: queue)
        await connection.close()
    }
}
