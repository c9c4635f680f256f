import AMQPClient
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

    /// Location → how many of the orders were picked there (`pick_location`).
    func pickLocations() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for chunk in ids.chunked(1_000) {
            let replies = try await redis.pipeline(chunk.map { RedisCommand("HGET", RedisKeys.order($0), "pick_location") })
            for location in replies.compactMap(\.string) { counts[location, default: 0] += 1 }
        }
        return counts
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

/// What the demo prints at the end, read back from Redis.
struct DemoSummary {
    var run: String
    var planned: [DemoShop.PlannedOrder]
    var statuses: [String: OrderStatus]
    /// Orders the hold rules held, which the demo then released.
    var held: Int
    /// Location → orders picked and shipped from there.
    var shippedFrom: [String: Int]
    var publishedIn: Duration
    var settledIn: Duration
    var totalIn: Duration

    var counts: [OrderStatus: Int] {
        statuses.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    func print(json: Bool, cluster: ClusterDirectory, stopped: Bool, report: () async throws -> Void) async throws {
        let byChannel = Dictionary(grouping: planned, by: \.channel).mapValues { orders in
            orders.reduce(into: [OrderStatus: Int]()) { counts, order in
                if let status = statuses[order.id] { counts[status, default: 0] += 1 }
            }
        }
        let state = URL(fileURLWithPath: cluster.path).deletingLastPathComponent()
        let documents = Environment.current[OMSSetting.documentsDirectory.variable]
            ?? state.appendingPathComponent("documents").path
        let mail = state.appendingPathComponent("mail/new").path
        if json {
            let object: [String: Any] = [
                "run": run, "orders": planned.count, "stored": statuses.count, "held_and_released": held,
                "shipped_from": shippedFrom,
                "statuses": Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                "channels": byChannel.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) },
                "published_s": Self.seconds(publishedIn), "settled_s": Self.seconds(settledIn),
                "total_s": Self.seconds(totalIn), "documents": documents, "mail": mail, "cluster": cluster.path,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        let channels = byChannel.keys.sorted()
        let shown = OrderStatus.allCases.filter { counts[$0] != nil }
        Swift.print("\nsales peak \(run): \(planned.count) orders, all stored; peak published in "
            + "\(Self.text(publishedIn)), settled after \(Self.text(settledIn)), "
            + "deliveries and returns done after \(Self.text(totalIn))")
        Output.table(["STATUS", "ORDERS"] + channels,
                     shown.map { status in
                         [status.rawValue, "\(counts[status] ?? 0)"] + channels.map { "\(byChannel[$0]?[status] ?? 0)" }
                     } + [["total", "\(statuses.count)"] + channels.map { "\(byChannel[$0]?.values.reduce(0, +) ?? 0)" }])
        Swift.print("held by the hold rules and released: \(held)")
        Swift.print("picked and shipped from: " + (shippedFrom.isEmpty ? "-" : shippedFrom.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        try await report()
        Swift.print("""

            where to look:
              emails          \(mail) (one file per email the SMTP sink took)
              labels, slips,  \(documents)
              picklists
              worker logs     \(cluster.logDirectory)
              one order       oms status \(planned.first?.id ?? "ID")
              the workers     oms cluster status
            """)
        Swift.print(stopped
            ? "\nthe cluster is stopped; stop the services with `scripts/services down`"
            : "\nservices and cluster are still running. Stop them with: oms cluster down && scripts/services down")
    }

    static func seconds(_ duration: Duration) -> Double {
        (duration / .seconds(1) * 10).rounded() / 10
    }

    static func text(_ duration: Duration) -> String {
        String(format: "%.1f s", duration / .seconds(1))
    }
}
