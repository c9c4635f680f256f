import ArgumentParser
import Foundation
import OMSContract
import OMSDomain
import OMSStore
import RedisClient

/// `oms stock reconcile [--fix]`: each SKU's `reserved` against its per-order
/// holds and the orders' statuses.
struct StockReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Check reserved counts against the per-order holds; repair drift with --fix.",
        discussion: """
            For each SKU: `reserved` should equal the sum of its holds (oms:stock:{SKU}:holds), and only \
            orders that still need stock (received, confirmed, paid, picked) should hold it. A hold of a \
            cancelled, rejected or backordered order (or of an order that does not exist) should have been \
            released; one of a shipped or later order should have been committed. For a SKU stocked per \
            location, each location's `reserved@LOC` should equal the holds recorded there \
            (oms:stock:{SKU}:held-at), and `available` the sum of the locations' `available@LOC`.

            With --fix, one atomic script per SKU (its keys share one hash slot) removes the stale holds, \
            gives released quantities back to `available`, and sets `reserved` to the sum of the holds that \
            remain; per location, `reserved@LOC` to the holds there and `available` to the locations' sum \
            (the per-location counts are what the warehouse counted). Without --fix, the exit code is 1 \
            when anything drifted.

            Examples:
              oms stock reconcile
              oms stock reconcile --fix MUG-BLUE
            """)

    @OptionGroup var servers: ServerOptions
    @Argument(help: "SKUs to check (default: all).") var skus: [String] = []
    @Flag(help: "Repair what drifted.") var fix = false
    @Flag(help: "Print JSON.") var json = false

    static let needsHold: Set<OrderStatus> = [.received, .confirmed, .paid, .picked]

    /// A stale hold as found: the order's status and what it holds.
    struct Finding {
        var hold: StaleHold
        var status: String
        var quantity: Int
    }

    func run() async throws {
        try await CLI.run(servers) {
            for sku in skus { try Identifier.check(sku, "SKU") }
            let redis = try await servers.redis()
            let inventory = InventoryStore(redis: redis)
            let rows = try await StockRow.load(redis, skus: skus)
            var report: [[String: Any]] = []
            var drifted = 0
            for row in rows {
                // Counters and holds from one MULTI, so that reservations running meanwhile cannot look like drift.
                guard let levels = try await inventory.levels(sku: row.sku) else { continue }
                let holds = levels.holds
                let ids = holds.keys.sorted()
                let statuses = try await redis.pipeline(ids.map { RedisCommand("HGET", RedisKeys.order($0), "status") })
                var stale: [Finding] = []
                for (id, reply) in zip(ids, statuses) {
                    let status = reply.string.flatMap(OrderStatus.init(rawValue:))
                    if let status, Self.needsHold.contains(status) { continue }
                    let action: StaleHold.Action = status?.hasShipped == true
                        ? .commit : .release
                    stale.append(Finding(hold: StaleHold(orderID: id, action: action),
                                         status: status?.rawValue ?? "missing", quantity: holds[id] ?? 0))
                }
                let held = levels.held
                let locations = Self.locationDrift(levels)
                guard levels.reserved != held || !stale.isEmpty || !locations.isEmpty else { continue }
                drifted += 1
                var entry: [String: Any] = [
                    "sku": row.sku, "reserved": levels.reserved, "held": held,
                    "stale_holds": stale.map { ["order_id": $0.hold.orderID, "status": $0.status,
                                                "quantity": $0.quantity, "action": $0.hold.action.rawValue]
                        as [String: Any] },
                    "locations": locations.map(\.json),
                ]
                var fixedText = ""
                if fix {
                    let repair = try await inventory.repairHolds(sku: row.sku, stale: stale.map(\.hold))
                    entry["fixed"] = ["reserved_before": repair.reservedBefore, "reserved_after": repair.reservedAfter,
                                      "released_to_available": repair.releasedToAvailable,
                                      "holds_removed": repair.holdsRemoved]
                    fixedText = "  fixed: reserved \(repair.reservedBefore) → \(repair.reservedAfter), "
                        + "\(repair.releasedToAvailable) back to available, \(repair.holdsRemoved) holds removed"
                }
                report.append(entry)
                if !json {
                    let difference = levels.reserved - held
                    print("\(row.sku): reserved \(levels.reserved), holds sum \(held)"
                        + (difference == 0 ? "" : " (drift \(difference > 0 ? "+" : "")\(difference))"))
                    for drift in locations { print("  \(drift.text)") }
                    for finding in stale {
                        print("  stale hold: order \(finding.hold.orderID) (\(finding.status)) holds "
                            + "\(finding.quantity): should be \(finding.hold.action == .commit ? "committed" : "released")")
                    }
                    if !fixedText.isEmpty { print(fixedText) }
                }
            }
            await redis.close()
            if json {
                Output.json(["checked": rows.count, "drifted": drifted, "fixed": fix, "skus": report] as [String: Any])
            } else {
                print("checked \(rows.count) SKUs, \(drifted) drifted" + (fix && drifted > 0 ? ", repaired" : ""))
            }
            if drifted > 0, !fix { throw ExitCode.failure }
        }
    }

    /// What disagrees at one location of a SKU stocked per location; `location`
    /// nil for the totals (available against the locations' sum).
    struct LocationDrift {
        var location: String?
        var counted: Int
        var expected: Int

        var json: [String: Any] {
            location.map { ["location": $0, "reserved": counted, "held": expected] as [String: Any] }
                ?? ["available": counted, "locations_sum": expected]
        }

        var text: String {
            location.map { "at \($0): reserved \(counted), holds there sum \(expected)" }
                ?? "available \(counted), but its locations add up to \(expected)"
        }
    }

    private static func locationDrift(_ levels: StockLevels) -> [LocationDrift] {
        guard !levels.locations.isEmpty else { return [] }
        var drifts = levels.locations.keys.sorted().compactMap { location -> LocationDrift? in
            let stock = levels.locations[location]!
            return stock.reserved == stock.held ? nil
                : LocationDrift(location: location, counted: stock.reserved, expected: stock.held)
        }
        let sum = levels.locations.values.map(\.available).reduce(0, +)
        if sum != levels.available { drifts.append(LocationDrift(location: nil, counted: levels.available, expected: sum)) }
        return drifts
    }
}
