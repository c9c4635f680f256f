import ArgumentParser
import Foundation
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
            released; one of a shipped or later order should have been committed.

            With --fix, one atomic script per SKU (its keys share one hash slot) removes the stale holds, \
            gives released quantities back to `available`, and sets `reserved` to the sum of the holds that \
            remain. Without --fix, the exit code is 1 when anything drifted.

            Examples:
              oms stock reconcile
              oms stock reconcile --fix MUG-BLUE
            """)

    @OptionGroup var servers: ServerOptions
    @Argument(help: "SKUs to check (default: all).") var skus: [String] = []
    @Flag(help: "Repair what drifted.") var fix = false
    @Flag(help: "Print JSON.") var json = false

    static let needsHold: Set<OrderStatus> = [.received, .confirmed, .paid, .picked]
    static let committed: Set<OrderStatus> = [.shipped, .delivered, .returnRequested, .returned, .refunded]

    /// KEYS: stock hash, holds hash. ARGV: order id, action (release | commit), …
    /// Removes each still-present stale hold, returns released units to
    /// `available`, and sets `reserved` to the sum of the remaining holds.
    static let fixScript = RedisScript(name: "oms-cli-reconcile", source: """
        local released = 0
        local removed = 0
        for i = 1, #ARGV, 2 do
          local held = redis.call('HGET', KEYS[2], ARGV[i])
          if held then
            redis.call('HDEL', KEYS[2], ARGV[i])
            removed = removed + 1
            if ARGV[i + 1] == 'release' then released = released + (tonumber(held) or 0) end
          end
        end
        local sum = 0
        for _, value in ipairs(redis.call('HVALS', KEYS[2])) do sum = sum + (tonumber(value) or 0) end
        local before = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0') or 0
        redis.call('HSET', KEYS[1], 'reserved', sum)
        if released > 0 then redis.call('HINCRBY', KEYS[1], 'available', released) end
        return {before, sum, released, removed}
        """)

    struct StaleHold {
        var orderID: String
        var status: String
        var quantity: Int
        var action: String
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
                let holds = try await inventory.holds(sku: row.sku)
                let ids = holds.keys.sorted()
                let statuses = try await redis.pipeline(ids.map { RedisCommand("HGET", RedisKeys.order($0), "status") })
                var stale: [StaleHold] = []
                for (id, reply) in zip(ids, statuses) {
                    let status = reply.string.flatMap(OrderStatus.init(rawValue:))
                    if let status, Self.needsHold.contains(status) { continue }
                    let action = status.map { Self.committed.contains($0) } == true ? "commit" : "release"
                    stale.append(StaleHold(orderID: id, status: status?.rawValue ?? "missing",
                                           quantity: holds[id] ?? 0, action: action))
                }
                let held = holds.values.reduce(0, +)
                guard row.reserved != held || !stale.isEmpty else { continue }
                drifted += 1
                var entry: [String: Any] = [
                    "sku": row.sku, "reserved": row.reserved, "held": held,
                    "stale_holds": stale.map { ["order_id": $0.orderID, "status": $0.status,
                                                "quantity": $0.quantity, "action": $0.action] as [String: Any] },
                ]
                var fixedText = ""
                if fix {
                    let reply = try await redis.evalSHA(Self.fixScript, keys: [RedisKeys.stock(row.sku),
                                                                                RedisKeys.holds(row.sku)],
                                                        arguments: stale.flatMap { [$0.orderID, $0.action] })
                    let values = (reply.array ?? []).map { $0.int ?? 0 }
                    if values.count == 4 {
                        entry["fixed"] = ["reserved_before": values[0], "reserved_after": values[1],
                                          "released_to_available": values[2], "holds_removed": values[3]]
                        fixedText = "  fixed: reserved \(values[0]) → \(values[1]), \(values[2]) back to available, "
                            + "\(values[3]) holds removed"
                    }
                }
                report.append(entry)
                if !json {
                    let difference = row.reserved - held
                    print("\(row.sku): reserved \(row.reserved), holds sum \(held)"
                        + (difference == 0 ? "" : " (drift \(difference > 0 ? "+" : "")\(difference))"))
                    for hold in stale {
                        print("  stale hold: order \(hold.orderID) (\(hold.status)) holds \(hold.quantity): "
                            + "should be \(hold.action == "commit" ? "committed" : "released")")
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
}
