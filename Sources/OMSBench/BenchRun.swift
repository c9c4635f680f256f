import AMQPClient
import CLISupport
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient
import Supervision
import Synchronization
import WorkerRuntime

/// One bench run: a fresh cluster, N one-line orders published, every
/// order.shipped event and every email waited for, then the figures and
/// the checks read from /proc and Redis.
struct BenchRun {
    var servers: ServerOptions
    var orders: Int
    var rate: Int
    var skus: Int
    var copies: [String: Int]
    var directory: ClusterDirectory
    /// Where the worker executables are (or wrappers that run them).
    var binDirectory: String
    /// Variables the workers get besides the server URLs (OMS_SMTP_URL…).
    var environment: [String: String]
    var console: Console
    /// How long nothing may move before the run is declared stuck.
    var stallLimit: Duration = .seconds(60)
    /// How long the workers may take to start consuming.
    var startLimit: Duration = .seconds(60)
    /// Seconds a worker has to stop after SIGTERM before SIGKILL.
    var grace = 15
    /// Nodes to kill in the middle of the flow (`--chaos`, on clusters only).
    var chaos: ClusterChaos?

    /// Emails a bench order gets: order.confirmed and order.shipped.
    static let emailEvents = ["order.confirmed", "order.shipped"]

    func run() async throws -> BenchResult {
        let id = String(format: "%04x", UInt16.random(in: .min ... .max))
        let redis = try await servers.redis()
        let amqp = try await servers.amqp("bench")
        try await amqp.declare(Topology.declaration(retry: try .configured()))
        try await refuseBusyQueues(amqp)
        let stock = try await seedStock(id: id, redis: redis)
        let memoryBefore = try await usedMemory(redis)

        try ClusterLauncher(servers: servers, directory: directory, binDirectory: binDirectory, grace: grace,
                            environment: environment, say: console.say).start(copies)
        let ledger = BenchLedger(orders: orders)
        let pids: [(String, pid_t)]
        let cpuBefore: [pid_t: Double]
        let stats: [(String, pid_t, ProcessStats?)]
        let memoryAfter: Int
        var killed: [KilledNode] = []
        var workersDown: [String] = []
        do {
            try await ClusterLauncher.waitForConsumers(copies, servers: servers, directory: directory,
                                                       timeout: startLimit)
            pids = directory.runningState()?.copies.compactMap { copy in copy.pid.map { (copy.stage, $0) } } ?? []
            cpuBefore = cpu(pids)
            let listener = try await listen(id: id, amqp: amqp, ledger: ledger)
            let bodies = (1...orders).map { number in Self.order(id: id, number: number, sku: stock.skus[number % skus]) }
            let started = Date()
            let publisher = Task { try await publish(bodies, ledger: ledger) }
            let faults = Task {
                try await injectFaults(key: RedisKeys.stock(stock.skus[0]), redis: redis, started: started, ledger: ledger)
            }
            do {
                try await waitForShipped(ledger, ids: (1...orders).map { "bench-\(id)-\($0)" }, redis: redis)
                try await publisher.value
                killed = try await faults.value
            } catch {
                faults.cancel()
                throw error
            }
            try await waitForEveryEmail(ids: (1...orders).map { "bench-\(id)-\($0)" }, redis: redis)
            stats = pids.map { ($0.0, $0.1, ProcessStats.of($0.1)) }
            workersDown = directory.runningState()?.copies.filter { !($0.pid.map(Spawn.isAlive) ?? false) }
                .map(\.name) ?? []
            memoryAfter = try await usedMemory(redis)
            try await listener.cancel()
            if onCluster { try await amqp.delete(queue: Self.listenerQueue(id)) }
        } catch {
            console.say("stopping the bench's cluster (logs stay in \(directory.logDirectory))")
            try? await ClusterLauncher.stop(directory)
            throw error
        }
        try await ClusterLauncher.stop(directory)
        await amqp.close()

        let ids = (1...orders).map { "bench-\(id)-\($0)" }
        var result = try await collect(ids: ids, ledger: ledger, redis: redis)
        for (stage, pid, after) in stats {
            result.cpuSeconds[stage, default: 0] += (after?.cpuSeconds ?? 0) - (cpuBefore[pid] ?? 0)
            result.peakRSS[stage] = max(result.peakRSS[stage] ?? 0, after?.peakRSSBytes ?? 0)
        }
        result.redisBytesPerOrder = Double(memoryAfter - memoryBefore) / Double(orders)
        result.checks = try await check(ids: ids, stock: stock, redis: redis)
        result.checks.workersDown = workersDown
        result.killed = killed
        result.orderPrefix = "bench-\(id)-"
        await redis.close()
        return result
    }

    /// Live workers of another cluster would take the bench's messages, and
    /// messages left from earlier work would be measured with the bench's.
    private func refuseBusyQueues(_ amqp: AMQPConnection) async throws {
        for stage in Stage.allCases {
            let state = try await amqp.inspect(queue: stage.queue)
            guard state.consumers == 0 else {
                throw CLIError("\(stage.queue) already has \(state.consumers) consumers on \(servers.shownAMQPURL): another "
                    + "cluster is running (stop it with `oms cluster down`), or point --amqp-url at another vhost")
            }
            guard state.messages == 0 else {
                throw CLIError("\(stage.queue) holds \(state.messages) messages from earlier work on \(servers.shownAMQPURL); "
                    + "let a cluster finish them (`oms cluster up`), or point --amqp-url at another vhost")
            }
        }
    }

    private func seedStock(id: String, redis: any Redis) async throws -> (skus: [String], units: Int) {
        let units = (orders + skus - 1) / skus + 10
        let names = (0..<skus).map { "B\(id.uppercased())-\(String(format: "%05d", $0))" }
        let inventory = InventoryStore(redis: redis)
        try await inventory.set(names.map { StockSetting(sku: $0, available: units, bin: "A-01-01", reorderPoint: 0) })
        return (names, units)
    }

    static func order(id: String, number: Int, sku: String) -> [UInt8] {
        Array(#"{"id":"bench-\#(id)-\#(number)","channel":"web","placed_at":"2026-11-23T10:00:00Z","currency":"GBP","customer":{"name":"Ada Lovelace","email":"ada@example.com"},"shipping_address":{"line1":"12 Analytical St","city":"London","postal_code":"N1 9GU","country":"GB"},"lines":[{"sku":"\#(sku)","quantity":1,"unit_price":1250,"weight_grams":350}],"shipping":{"service":"standard"},"payment":{"method":"card","token":"tok_visa"}}"#.utf8)
    }

    /// Several broker nodes: the bench's connections fail over with the workers'.
    var onCluster: Bool { servers.amqpURL.contains(",") }

    static func listenerQueue(_ id: String) -> String { "oms.bench.\(id)" }

    /// A queue of the bench's own on `order.shipped`: its receipt time is the
    /// notify worker's, which consumes the same event. On a cluster it is a
    /// quorum queue, which outlives the node the bench's connection is on
    /// (and is deleted at the end); on one server it dies with the connection.
    private func listen(id: String, amqp: AMQPConnection, ledger: BenchLedger) async throws -> AMQPConsumer {
        let queue = Self.listenerQueue(id)
        try await amqp.declare(AMQPTopology(
            queues: [onCluster ? .init(queue, arguments: QueueArgument.quorum)
                : .init(queue, durable: false, exclusive: true, autoDelete: true)],
            bindings: [.init(queue: queue, exchange: Topology.events, routingKey: "order.shipped")]))
        let consumer = try await amqp.consume(queue: queue, prefetch: 500)
        Task {
            var unacked = 0
            for try await delivery in consumer {
                if let subject = Self.subject(delivery.body) { ledger.shipped(subject, at: Date()) }
                unacked += 1
                if unacked >= 100 {
                    _ = try await amqp.ack(delivery, multiple: true)
                    unacked = 0
                }
            }
        }
        return consumer
    }

    static func subject(_ body: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["subject"] as? String
    }

    /// Batches of 100 with confirms, as fast as the broker takes them or paced at `rate`.
    private func publish(_ bodies: [[UInt8]], ledger: BenchLedger) async throws {
        let amqp = try await servers.amqp("bench publisher")
        let batch = rate > 0 ? max(1, rate / 50) : 100
        let clock = ContinuousClock()
        let started = clock.now
        for start in stride(from: 0, to: bodies.count, by: batch) {
            let slice = bodies[start..<min(start + batch, bodies.count)]
            let now = Date()
            for offset in slice.indices { ledger.sent(offset + 1, at: now) }
            try await publishUntilConfirmed(slice.map {
                AMQPMessage(exchange: Topology.intake, routingKey: IntakeMessage.RoutingKey.orderPlace.rawValue, body: $0)
            }, on: amqp)
            ledger.published(slice.count)
            if rate > 0 {
                let due = started + .microseconds((start + slice.count) * 1_000_000 / rate)
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
            }
        }
        await amqp.close()
    }

    /// A publish the broker did not confirm because the connection was lost
    /// (a node killed) is published again once the connection is back on
    /// another node: the order's id makes the second copy harmless.
    private func publishUntilConfirmed(_ messages: [AMQPMessage], on amqp: AMQPConnection) async throws {
        var pending = messages
        while !pending.isEmpty {
            let results = await amqp.publish(batch: pending)
            var failed: [AMQPMessage] = []
            for (message, result) in zip(pending, results) {
                guard case .failure(let error) = result else { continue }
                guard error.isTransient else { throw error }
                failed.append(message)
            }
            pending = failed
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
        }
    }

    /// The chaos's kills, when the bench has one, while the flow goes on.
    private func injectFaults(key: String, redis: any Redis, started: Date, ledger: BenchLedger) async throws -> [KilledNode] {
        guard let chaos else { return [] }
        guard let cluster = redis as? RedisCluster else {
            throw CLIError("--chaos kills a Redis master: OMS_REDIS_URL must list the nodes of a Redis Cluster")
        }
        return try await chaos.run(orders: orders, key: key, redis: cluster, started: started) { ledger.shippedCount }
    }

    private func waitForShipped(_ ledger: BenchLedger, ids: [String], redis: any Redis) async throws {
        var last = (time: ContinuousClock.now, shipped: -1)
        var shown = ContinuousClock.now
        while ledger.shippedCount < orders {
            let shipped = ledger.shippedCount
            if shipped != last.shipped { last = (.now, shipped) }
            if ContinuousClock.now - last.time > stallLimit {
                throw CLIError("no order shipped for \(stallLimit) (\(shipped) of \(orders)); "
                    + (await unshipped(ids, ledger: ledger, redis: redis))
                    + "see the logs in \(directory.logDirectory) and `oms dlq list`")
            }
            if ContinuousClock.now - shown > .seconds(1) {
                console.progress("published \(ledger.publishedCount)/\(orders), shipped \(shipped)")
                shown = .now
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        console.progress("published \(orders)/\(orders), shipped \(orders)")
        console.endProgress()
    }

    /// Where the first five orders not seen shipped stand, for a stall's
    /// error: each one's history (status@stage, with its note).
    private func unshipped(_ ids: [String], ledger: BenchLedger, redis: any Redis) async -> String {
        let orders = OrderStore(redis: redis)
        var lines: [String] = []
        for id in ids.filter({ ledger.shippedAt($0) == nil }).prefix(5) {
            let history = (try? await orders.history(orderID: id)) ?? []
            let steps = history.map { "\($0.to.rawValue)@\($0.stage)" + ($0.note.isEmpty ? "" : " (\($0.note))") }
            lines.append("  \(id): " + (steps.isEmpty ? "no history in Redis" : steps.joined(separator: " → ")))
        }
        return "not seen shipped:\n" + lines.joined(separator: "\n") + "\n"
    }

    /// Each order's email markers (the report's email counters would count
    /// other orders' emails too).
    private func waitForEveryEmail(ids: [String], redis: any Redis) async throws {
        var missing = try await ordersMissingEmails(ids, redis: redis)
        var last = (time: ContinuousClock.now, missing: missing.count)
        while !missing.isEmpty {
            try await Task.sleep(for: .milliseconds(200))
            missing = try await ordersMissingEmails(missing, redis: redis)
            if missing.count != last.missing { last = (.now, missing.count) }
            if ContinuousClock.now - last.time > stallLimit {
                throw CLIError("\(missing.count) orders still lack an email after \(stallLimit), e.g. \(missing[0]); "
                    + "is the SMTP server up? see \(directory.logDirectory)/oms-notify-1.log")
            }
        }
    }

    func ordersMissingEmails(_ ids: [String], redis: any Redis) async throws -> [String] {
        var missing: [String] = []
        let markers = Self.emailEvents.map(Effect.email)
        for chunk in ids.chunked(1_000) {
            let replies = try await redis.pipeline(chunk.map {
                RedisCommand("HMGET", arguments: [RedisKeys.effects($0)] + markers)
            })
            for (id, reply) in zip(chunk, replies) where (reply.array ?? []).contains(where: \.isNull) {
                missing.append(id)
            }
        }
        return missing
    }

    /// Summed over the masters of a cluster.
    private func usedMemory(_ redis: any Redis) async throws -> Int {
        var total = 0
        for server in try await redis.servers() {
            let info = try await server.send(RedisCommand("INFO", "memory")).string ?? ""
            let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("used_memory:") }
            total += line.flatMap { Int($0.dropFirst("used_memory:".count)) } ?? 0
        }
        return total
    }

    private func cpu(_ pids: [(String, pid_t)]) -> [pid_t: Double] {
        pids.reduce(into: [:]) { total, entry in total[entry.1] = ProcessStats.of(entry.1)?.cpuSeconds ?? 0 }
    }
}
