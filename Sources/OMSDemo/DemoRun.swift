import AMQPClient
import CLISupport
import Foundation
import OMSContract
import OMSDomain
import OMSSettings
import OMSStore
import RedisClient
import Supervision
import WorkerRuntime
#if canImport(Glibc)
import Glibc
#endif

/// One sales peak of the demo, from the catalog to the settled orders.
public struct DemoRun {
    var servers: ServerOptions
    var console: Console
    var shop: DemoShop
    var orders: Int
    var rate: Int
    var seed: UInt64
    var timeout: Duration

    /// `shop` names the run and its SKUs; `seed` replays the same peak.
    public init(servers: ServerOptions, console: Console, shop: DemoShop, orders: Int, rate: Int, seed: UInt64,
                timeout: Duration) {
        self.servers = servers
        self.console = console
        self.shop = shop
        self.orders = orders
        self.rate = rate
        self.seed = seed
        self.timeout = timeout
    }

    /// Statuses an order passes through on its way; the peak is over when none is in one.
    static let inFlight: Set<OrderStatus> = [.received, .confirmed, .paid, .picked, .returnRequested, .returned]

    /// Topology, cluster (or the one already running in `directory`, else
    /// one started from the workers in `binDirectory`) and catalog.
    public func prepare(cluster directory: ClusterDirectory, binDirectory: String) async throws {
        let amqp = try await servers.amqp("demo")
        try await amqp.declare(Topology.declaration(retry: try .configured()))
        await amqp.close()
        console.say("topology applied on \(servers.shownAMQPURL)")

        var perLocation = false
        if let state = directory.runningState() {
            console.say("using the cluster already running in \(directory.path) (supervisor pid \(state.supervisorPID))")
        } else {
            if Environment.current[OMSSetting.documentsDirectory.variable] == nil {
                setenv(OMSSetting.documentsDirectory.variable, documentsDirectory(directory), 1)
            }
            if Environment.current[OMSSetting.holdRules.variable] == nil {
                try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
                let rules = URL(fileURLWithPath: directory.path).appendingPathComponent("hold-rules.json").path
                try Data(DemoShop.holdRules.utf8).write(to: URL(fileURLWithPath: rules))
                setenv(OMSSetting.holdRules.variable, rules, 1)
                console.say("hold rules: orders above £120 are held for a person (\(rules))")
            }
            if Environment.current[OMSSetting.routingRules.variable] == nil {
                let rules = URL(fileURLWithPath: directory.path).appendingPathComponent("routing-rules.json").path
                try Data(DemoShop.routingRules.utf8).write(to: URL(fileURLWithPath: rules))
                setenv(OMSSetting.routingRules.variable, rules, 1)
                perLocation = true
                console.say("two warehouses, \(DemoShop.london) and \(DemoShop.berlin): each order ships from the "
                    + "nearest with every line (\(rules))")
            }
            let scale = Dictionary(uniqueKeysWithValues: Stage.allCases.map { ($0.rawValue, 1) })
            try ClusterLauncher(servers: servers, directory: directory, binDirectory: binDirectory,
                                grace: 15, say: console.say).start(scale)
            try await ClusterLauncher.waitForConsumers(scale, servers: servers, directory: directory,
                                                       timeout: .seconds(60))
            console.say("cluster up: one copy of each of the six workers (oms cluster status shows them)")
        }

        let redis = try await servers.redis()
        try await InventoryStore(redis: redis).set(shop.openingStock(orders: orders, perLocation: perLocation))
        try await CatalogStore(redis: redis).put(shop.catalogEntries)
        await redis.close()
        console.say("catalog imported and stocked: \(DemoShop.catalog.count) SKUs in bins A-01-01 to E-02-02, "
            + "\(DemoShop.catalog.filter(\.scarce).count) of them scarce")
    }

    func documentsDirectory(_ cluster: ClusterDirectory) -> String {
        Environment.current[OMSSetting.documentsDirectory.variable]
            ?? URL(fileURLWithPath: cluster.path).deletingLastPathComponent().appendingPathComponent("documents").path
    }

    /// Publishes the peak, then deliveries and returns, showing progress,
    /// and reads the outcome back from Redis.
    public func peak() async throws -> DemoSummary {
        var rng = SeededGenerator(seed: seed)
        let planned = shop.orders(orders, rng: &rng, placedAt: Date())
        let amqp = try await servers.amqp("demo")
        let redis = try await servers.redis()
        let tracker = DemoTracker(ids: planned.map(\.id), redis: redis, amqp: amqp, console: console)
        let started = ContinuousClock.now
        console.say("publishing \(orders) orders from web, amazon and ebay (seed \(seed))"
            + (rate > 0 ? " at \(rate) orders/s…" : "…"))

        try await publishPeak(planned, rng: &rng, amqp: amqp, tracker: tracker)
        let publishedIn = ContinuousClock.now - started
        try await tracker.waitUntilSettled(timeout: timeout)
        let held = try await releaseHolds(planned, amqp: amqp, redis: redis, tracker: tracker)
        let settledIn = ContinuousClock.now - started

        let delivered = try await deliver(planned, rng: &rng, amqp: amqp, redis: redis)
        console.say("the carrier delivers \(delivered.count) of the shipped orders…")
        try await tracker.waitUntilSettled(timeout: timeout, expected: delivered.reduce(into: [:]) { $0[$1] = .delivered })
        let returned = try await requestReturns(planned, rng: &rng, amqp: amqp, redis: redis)
        console.say("customers return \(returned.count) delivered orders…")
        try await tracker.waitUntilSettled(timeout: timeout, expected: returned.reduce(into: [:]) { $0[$1] = .refunded },
                                           emails: true)

        let statuses = try await tracker.statuses()
        let shipments = try await tracker.shipments()
        await amqp.close()
        await redis.close()
        return DemoSummary(run: shop.run, planned: planned, statuses: statuses, held: held, shipments: shipments,
                           publishedIn: publishedIn,
                           settledIn: settledIn, totalIn: ContinuousClock.now - started)
    }

    /// Orders at the given rate, a cancel for some of them a moment later,
    /// and the scarce SKUs restocked halfway.
    private func publishPeak(_ planned: [DemoShop.PlannedOrder], rng: inout SeededGenerator, amqp: AMQPConnection,
                             tracker: DemoTracker) async throws {
        let batchSize = rate > 0 ? max(1, rate / 10) : 500
        let cancels = Set(planned.map(\.id).filter { _ in Double.random(in: 0..<1, using: &rng) < DemoShop.cancelShare })
        var pendingCancels: [String] = []
        var restocked = false
        let clock = ContinuousClock()
        let started = clock.now
        for (index, batch) in planned.chunked(batchSize).enumerated() {
            var messages = try batch.map { order in
                AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.orderPlace.rawValue,
                            body: Array(try JSONSerialization.data(withJSONObject: order.body, options: [.sortedKeys])),
                            messageID: order.id)
            }
            messages += pendingCancels.map(Self.cancel)
            pendingCancels = batch.map(\.id).filter(cancels.contains)
            if !restocked, (index + 1) * batchSize >= planned.count / 2 {
                messages += shop.restock(orders: orders).map { item in
                    AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.stockRestocked.rawValue,
                                body: Array(#"{"sku":"\#(item.sku)","quantity":\#(item.quantity),"restock_id":"demo-\#(shop.run)-\#(item.sku)","location":"\#(item.location)"}"#.utf8),
                                messageID: "demo-\(shop.run)-\(item.sku)")
                }
                restocked = true
            }
            try await publish(messages, amqp)
            tracker.published = min(planned.count, (index + 1) * batchSize)
            try await tracker.showProgress(every: .seconds(1))
            if rate > 0 {
                let due = started + .milliseconds((index + 1) * batchSize * 1000 / rate)
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
            }
        }
        try await publish(pendingCancels.map(Self.cancel), amqp)
    }

    private static func cancel(_ orderID: String) -> AMQPMessage {
        AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.orderCancel.rawValue,
                    body: Array(#"{"order_id":"\#(orderID)","reason":"customer changed their mind"}"#.utf8),
                    messageID: "cancel-\(orderID)")
    }

    private func publish(_ messages: [AMQPMessage], _ amqp: AMQPConnection) async throws {
        for result in await amqp.publish(batch: messages) { try result.get() }
    }

    /// What `oms hold release` does, for every order the hold rules held: the
    /// person in the shop looked and let them go. Returns how many.
    private func releaseHolds(_ planned: [DemoShop.PlannedOrder], amqp: AMQPConnection, redis: any Redis,
                              tracker: DemoTracker) async throws -> Int {
        let held = try await ordersWith(status: .onHold, planned, redis)
        guard !held.isEmpty else { return 0 }
        console.say("\(held.count) orders were held by the hold rules (oms hold list); the demo releases them…")
        try await publish(held.map { HoldRelease(orderID: $0).message }, amqp)
        // Capture takes them in moments; only then are they in flight for the wait below.
        let deadline = ContinuousClock.now + timeout
        while try await !ordersWith(status: .onHold, planned, redis).isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        try await tracker.waitUntilSettled(timeout: timeout)
        return held.count
    }

    /// `shipment.delivered` for most shipped orders, with their tracking numbers.
    private func deliver(_ planned: [DemoShop.PlannedOrder], rng: inout SeededGenerator, amqp: AMQPConnection,
                         redis: any Redis) async throws -> [String] {
        let shipped = try await ordersWith(status: .shipped, planned, redis)
        let chosen = shipped.filter { _ in Double.random(in: 0..<1, using: &rng) < DemoShop.deliveryShare }
        // A split order is delivered parcel by parcel: one message per tracking number.
        let tracking = try await redis.pipeline(chosen.map {
            RedisCommand("HMGET", RedisKeys.order($0), "tracking_number", "tracking_numbers")
        })
        let now = RFC3339.format(Date())
        let messages = zip(chosen, tracking).flatMap { id, reply -> [(String, AMQPMessage)] in
            let fields = reply.array?.map(\.string) ?? []
            guard fields.count == 2, let single = fields[0] else { return [] }
            let numbers = fields[1].map { $0.split(separator: ",").map(String.init) } ?? [single]
            return numbers.map { number in
                (id, AMQPMessage(exchange: Topology.intake,
                                 routingKey: IntakeMessage.RoutingKey.shipmentDelivered.rawValue,
                                 body: Array(#"{"order_id":"\#(id)","tracking_number":"\#(number)","delivered_at":"\#(now)"}"#.utf8),
                                 messageID: "delivered-\(number)"))
            }
        }
        try await publish(messages.map(\.1), amqp)
        return Array(Set(messages.map(\.0)))
    }

    /// `order.return` of one unit of the first line, for a few delivered orders.
    private func requestReturns(_ planned: [DemoShop.PlannedOrder], rng: inout SeededGenerator,
                                amqp: AMQPConnection, redis: any Redis) async throws -> [String] {
        let delivered = Set(try await ordersWith(status: .delivered, planned, redis))
        let returning = planned.filter { delivered.contains($0.id) }
            .filter { _ in Double.random(in: 0..<1, using: &rng) < DemoShop.returnShare }
        let messages = returning.map { order in
                let condition = Int.random(in: 0..<5, using: &rng) == 0 ? "damaged" : "sellable"
                return AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.orderReturn.rawValue,
                                   body: Array(#"{"order_id":"\#(order.id)","reason":"did not fit","lines":[{"sku":"\#(order.lines[0].sku)","quantity":1,"condition":"\#(condition)"}]}"#.utf8),
                                   messageID: "return-\(order.id)")
            }
        try await publish(messages, amqp)
        return returning.map(\.id)
    }

    private func ordersWith(status: OrderStatus, _ planned: [DemoShop.PlannedOrder],
                            _ redis: any Redis) async throws -> [String] {
        let replies = try await redis.pipeline(planned.map { RedisCommand("HGET", RedisKeys.order($0.id), "status") })
        return zip(planned, replies).filter { $0.1.string == status.rawValue }.map(\.0.id)
    }
}
