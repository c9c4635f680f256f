import AMQPClient
import ArgumentParser
import RedisClient

/// The foundation's smoke flow: real broker, real Redis, no business logic
/// yet. Orders go through a queue with publisher confirms and manual acks, and
/// each one reserves stock with an atomic Lua script, so the end state can be
/// checked: exactly the stock there was is reserved, the rest is short.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the smoke flow: publish orders, consume them, reserve stock atomically, print a summary.",
        discussion: """
            Needs RabbitMQ and Redis (make demo starts them with scripts/services up).

            Example: oms demo --orders 2000 --stock 500
            """)

    @OptionGroup var servers: ServerOptions

    @Option(help: "Orders to publish.")
    var orders = 1_000

    @Option(help: "Units of the one SKU in stock at the start.")
    var stock = 250

    static let queue = "oms.smoke"
    static let stockKey = "oms:stock:{SMOKE-MUG}"
    static let reserve = RedisScript(name: "smoke-reserve", source: """
        local available = tonumber(redis.call('HGET', KEYS[1], 'available') or '0')
        if available < 1 then return 0 end
        redis.call('HINCRBY', KEYS[1], 'available', -1)
        redis.call('HINCRBY', KEYS[1], 'reserved', 1)
        return 1
        """)

    func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let amqp = try await AMQPConnection.connect(AMQPConfiguration(url: try AMQPURL(servers.amqpURL),
                                                                      connectionName: "oms demo"))
        let redis = try await RedisConnection.connect(url: try RedisURL(servers.redisURL))
        try await amqp.declare(AMQPTopology(queues: [.init(Self.queue, arguments: QueueArgument.quorum)]))
        try await amqp.purge(queue: Self.queue)
        _ = try await redis.send(RedisCommand("HSET", Self.stockKey, "available", stock, "reserved", 0))

        print("publishing \(orders) orders to \(Self.queue) with publisher confirms…")
        let published = await amqp.publish(batch: (1...orders).map { number in
            AMQPMessage(exchange: "", routingKey: Self.queue,
                        body: Array(#"{"id":"smoke-\#(number)","sku":"SMOKE-MUG","quantity":1}"#.utf8),
                        messageID: "smoke-\(number)")
        })
        let confirmed = published.filter { (try? $0.get()) != nil }.count

        print("consuming and reserving stock…")
        var reserved = 0
        var consumed = 0
        let consumer = try await amqp.consume(queue: Self.queue, prefetch: 100)
        for try await delivery in consumer {
            let reply = try await redis.evalSHA(Self.reserve, keys: [Self.stockKey])
            reserved += reply.int ?? 0
            consumed += 1
            try await amqp.ack(delivery)
            if consumed % 250 == 0 { print("  \(consumed)/\(confirmed) consumed, \(reserved) reserved") }
            if consumed == confirmed { break }
        }
        try await consumer.cancel()
        let counters = try await redis.send(RedisCommand("HMGET", Self.stockKey, "available", "reserved"))
        let elapsed = clock.now - started
        await amqp.close()
        await redis.close()

        let remaining = counters.array?.first?.string ?? "?"
        print("""

            smoke flow summary
              orders published, confirmed by the broker  \(confirmed) of \(orders)
              orders consumed and acked                   \(consumed)
              reserved (stock was \(stock))                   \(reserved)
              short (nothing left to reserve)             \(consumed - reserved)
              stock left in Redis: available \(remaining), reserved \(counters.array?.last?.string ?? "?")
              took \(elapsed)
            """)
        guard reserved == min(stock, confirmed), confirmed == orders else { throw ExitCode.failure }
    }
}
