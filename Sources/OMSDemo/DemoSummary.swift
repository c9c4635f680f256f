import Foundation
import CLISupport
import OMSDomain
import OMSSettings
import Supervision

/// What the demo prints at the end, read back from Redis.
public struct DemoSummary {
    var run: String
    var planned: [DemoShop.PlannedOrder]
    var statuses: [String: OrderStatus]
    /// Orders the hold rules held, which the demo then released.
    var held: Int
    /// Where the shipped orders left from, in how many parcels.
    var shipments: DemoShipments
    var publishedIn: Duration
    var settledIn: Duration
    var totalIn: Duration

    var counts: [OrderStatus: Int] {
        statuses.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    public func print(json: Bool, cluster: ClusterDirectory, stopped: Bool, report: () async throws -> Void) async throws {
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
                "statuses": Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                "channels": byChannel.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) },
                "published_s": Self.seconds(publishedIn), "settled_s": Self.seconds(settledIn),
                "total_s": Self.seconds(totalIn), "documents": documents, "mail": mail, "cluster": cluster.path,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object.merging(shipments.json) { old, _ in old },
                                                    options: [.sortedKeys])) ?? Data()
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
        Swift.print("parcels shipped from: " + (shipments.parcelsFrom.isEmpty ? "-"
            : shipments.parcelsFrom.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        Swift.print("shipped orders: " + (shipments.countsText.isEmpty ? "none" : shipments.countsText))
        if !shipments.exampleLines.isEmpty {
            Swift.print("orders no one warehouse could fill, shipped in parcels (the first few):")
            shipments.exampleLines.forEach { Swift.print($0) }
        }
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
