import AMQPClient
import ArgumentParser
import RedisClient

/// Throughput of the two client layers on their own, to set beside the same
/// operations driven by C (`bench/clients/amqp-reference.c`) and by
/// `redis-benchmark` in the same run (`bench/clients/run`).
@main
struct ClientBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oms-client-bench",
        abstract: "Measure the Swift AMQP and Redis client layers: confirmed publishes, consume+ack, pipelined EVALSHA.",
        discussion: """
            Prints one JSON line last. Run it through bench/clients/run, which puts it beside \
            the C and redis-benchmark references on the same servers.

            Example: oms-client-bench --messages 50000 --redis-calls 200000
            """)

    @Option(help: "Broker URL.")
    var amqpURL = "amqp://guest:guest@127.0.0.1:5672/%2F"

    @Option(help: "Redis URL.")
    var redisURL = "redis://127.0.0.1:6379/0"

    @Option(help: "Messages to publish and then consume.")
    var messages = 50_000

    @Option(help: "Message body size in bytes.")
    var size = 600

    @Option(help: "Publishes sent before waiting for their confirms.")
    var window = 500

    @Option(help: "Consumer prefetch count.")
    var prefetch: UInt16 = 500

    @Option(help: "Acknowledge with multiple=true every this many deliveries.")
    var ackEvery = 100

    @Option(help: "EVALSHA calls to make.")
    var redisCalls = 200_000

    @Option(help: "EVALSHA calls per pipeline (one round trip each).")
    var pipeline = 100

    @Option(help: "Queue to use (deleted and declared again).")
    var queue = "bench.clients.swift"

    func run() async throws {
        let amqp = try await AMQPBench(url: try AMQPURL(amqpURL), queue: queue)
        let publishRate = try await amqp.publish(messages: messages, size: size, window: window)
        let consumeRate = try await amqp.consume(messages: messages, prefetch: prefetch, ackEvery: ackEvery)
        await amqp.finish()
        let evalRate = try await RedisBench(url: try RedisURL(redisURL)).evalSHA(calls: redisCalls, pipeline: pipeline)
        print("""
            {"name": "swift-oms", "messages": \(messages), "size": \(size), "window": \(window), \
            "prefetch": \(prefetch), "ack_every": \(ackEvery), "publish_per_s": \(rounded(publishRate)), \
            "consume_per_s": \(rounded(consumeRate)), "redis_calls": \(redisCalls), "pipeline": \(pipeline), \
            "evalsha_per_s": \(rounded(evalRate))}
            """)
    }

    private func rounded(_ rate: Double) -> Double {
        (rate * 10).rounded() / 10
    }
}

func perSecond(_ count: Int, _ elapsed: Duration) -> Double {
    Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}
