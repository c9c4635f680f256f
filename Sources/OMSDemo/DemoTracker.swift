import AMQPClient
import CLISupport
import Foundation
import OMSContract
import OMSDomain
import OMSSettings
import OMSStore
import RedisClient
import Supervision

/// Watches the demo's orders in Redis and the stage queues on the broker,
/// and shows one line of progress: orders per status, queue depths, orders
/// per second reaching a status where they wait for nobody.
final class DemoTracker {
    let ids: [String]
    let redis: any Redis
    let amqp: AMQPConnection
    let console: Console
    var published = 0
    private var lastShown: (time: ContinuousClock.Instant, settled: Int)?

    init(ids: [String], redis: any Redis, amqp: AMQPConnection, console: Console) {
        self.ids = ids
        self.redis = redis
        self.amqp = amqp
        self.console = console
    }

    /// Each order's status; an order not stored yet is absent.
    func statuses() async throws -> [String: OrderStatus] {
        var statuses: [String: OrderStatus] = [:]
        for chunk in ids.chunked(1_000) {
            let replies = try await redis.pipeline(chunk.map { RedisCommand("HGET", RedisKeys.order($0), "status") })
            for (id, reply) in zip(chunk, replies) {
                if let status = reply.string.flatMap(OrderStatus.init(rawValue:)) { statuses[id] = status }
            }
        }
        return statuses
    }

    /// Where the shipped orders left from, and in how many parcels.
    func shipments() async throws -> DemoShipments {
        var shipments = DemoShipments()
        let fields = ["status", "pick_location", "shipped_parcels"]
        for chunk in ids.chunked(1_000) {
            let replies = try await redis.pipeline(chunk.map { RedisCommand("HMGET", arguments: [RedisKeys.order($0)] + fields) })
            for (id, reply) in zip(chunk, replies) {
                let values = reply.array?.map(\.string) ?? []
                guard values.count == fields.count, let status = values[0].flatMap(OrderStatus.init(rawValue:)),
                      status.hasShipped else { continue }
                let parcels = try values[2].map(ShippedParcel.decode) ?? []
                shipments.add(orderID: id, pickLocation: values[1], parcels: parcels)
            }
        }
        return shipments
    }

    func showProgress(every interval: Duration) async throws {
        if let last = lastShown, ContinuousClock.now - last.time < interval { return }
        _ = try await snapshot(expected: [:], emails: false)
    }

    /// Polls until every order is stored and none is in flight, and the
    /// stage queues are empty; or until nothing has moved for `stallLimit`
    /// (a message dead-lettered leaves its order where it was).
    /// `expected` names orders that must reach a status first (a delivery
    /// or return just published); `emails` waits for the notify queue too.
    func waitUntilSettled(timeout: Duration, expected: [String: OrderStatus] = [:], emails: Bool = false,
                          stallLimit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastChange = (time: ContinuousClock.now, picture: "")
        while ContinuousClock.now < deadline {
            let (settled, picture) = try await snapshot(expected: expected, emails: emails)
            if settled {
                console.endProgress()
                return
            }
            if picture != lastChange.picture {
                lastChange = (.now, picture)
            } else if ContinuousClock.now - lastChange.time > stallLimit {
                console.endProgress()
                console.say("nothing has moved for \(stallLimit): some orders are stuck; `oms dlq list` shows "
                    + "what was dead-lettered")
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        console.endProgress()
        throw CLIError("orders still in flight after \(timeout); `oms cluster status` shows the workers and "
            + "`oms dlq list` what failed")
    }

    /// Shows one progress line; whether nothing is in flight, and the line's figures.
    private func snapshot(expected: [String: OrderStatus], emails: Bool) async throws
        -> (settled: Bool, picture: String) {
        let statuses = try await statuses()
        var counts: [OrderStatus: Int] = [:]
        for status in statuses.values { counts[status, default: 0] += 1 }
        var depths: [(String, Int)] = []
        for stage in Stage.allCases {
            depths.append((stage.rawValue, (try? await amqp.inspect(queue: stage.queue))?.messages ?? 0))
        }
        let settled = statuses.values.filter { !DemoRun.inFlight.contains($0) }.count
        let now = ContinuousClock.now
        let perSecond = lastShown.map { last -> Int in
            let seconds = (now - last.time) / .seconds(1)
            return seconds > 0 ? Int(Double(settled - last.settled) / seconds) : 0
        } ?? 0
        lastShown = (now, settled)
        let statusText = OrderStatus.allCases.compactMap { status in
            counts[status].map { "\(status.rawValue) \($0)" }
        }.joined(separator: " ")
        let queueText = depths.map { "\($0.0) \($0.1)" }.joined(separator: " ")
        console.progress("published \(published)/\(ids.count) | \(statusText) | queued: \(queueText) | "
            + "\(max(perSecond, 0)) orders/s settling")
        let queuesEmpty = depths.filter { emails || $0.0 != Stage.notify.rawValue }.allSatisfy { $0.1 == 0 }
        let settledNow = published == ids.count && statuses.count == ids.count && queuesEmpty
            && !statuses.values.contains(where: DemoRun.inFlight.contains)
            && expected.allSatisfy { statuses[$0.key] == $0.value }
        return (settledNow, "\(statusText) \(queueText)")
    }
}
