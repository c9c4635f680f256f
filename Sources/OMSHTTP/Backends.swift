import AMQPClient
import OMSStore
import RedisClient

/// The servers behind every route. One broker and one Redis connection serve
/// all requests: each connection pipelines the calls of concurrent requests.
struct Backends: Sendable {
    let intake: Intake
    let redis: any Redis

    var orders: OrderStore { OrderStore(redis: redis) }
    var inventory: InventoryStore { InventoryStore(redis: redis) }
}
