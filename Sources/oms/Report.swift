import ArgumentParser
import Foundation
import OMSDomain
import OMSStore

/// `oms report`: what the orders did, from the report counters, and the SKUs
/// running low.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Orders per status and channel, time to shipment, delivery and return rates, refunds, emails, "
            + "low stock.",
        discussion: """
            Reads the report counters in Redis (oms:report:{report}): the workers count every status an \
            order enters and every email sent, once each. The counters outlive the orders, so orders whose \
            keys expired after the retention (OMS_RETENTION) still count.

              now               orders in each status now, in all and per channel
              entered           orders that ever entered the status
              order → shipment  received to shipped: median and 95th percentile,
                                from buckets 5 % wide (so at most 5 % over)
              delivery success  delivered ÷ shipments that ended (left shipped);
                                orders on their way count neither way
              return rate       returns requested ÷ orders shipped
              refunds           refunded on returns, per currency
              owed by channels  refunds the channel makes for returned prepaid orders
              emails sent       per event type
              low stock         SKUs at or under their reorder point (oms stock low)

            Examples:
              oms report
              oms report --json
            """)

    @OptionGroup var servers: ServerOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await CLI.run(servers) {
            try await Self.show(servers: servers, json: json)
        }
    }

    /// Reads the counters and the low-stock SKUs and prints them (also the end of `oms demo`).
    static func show(servers: ServerOptions, json: Bool) async throws {
        let redis = try await servers.redis()
        let report = OrderReport(counters: try await OrderStore(redis: redis).reportCounters())
        let lowStock = try await StockRow.load(redis, skus: []).filter(\.isLow)
        await redis.close()
        if json {
            Output.json(Self.json(report, lowStock: lowStock))
        } else {
            Self.printText(report, lowStock: lowStock)
        }
    }

    // MARK: - Text

    private static func printText(_ report: OrderReport, lowStock: [StockRow]) {
        printStatuses(report)
        print("")
        let median = report.shipTimeMedian.map { "≤ \(OrderReport.duration($0))" } ?? "-"
        let slow = report.shipTime95thPercentile.map { "≤ \(OrderReport.duration($0))" } ?? "-"
        print("order → shipment   median \(median), 95th percentile \(slow) (\(report.shipTimesCounted) shipped)")
        print("delivery success   \(OrderReport.percent(report.deliverySuccessRate)) (\(report.entered[.delivered, default: 0]) "
            + "delivered of \(report.shipmentsEnded) shipments that ended)")
        print("return rate        \(OrderReport.percent(report.returnRate)) (\(report.entered[.returnRequested, default: 0]) "
            + "returns requested of \(report.entered[.shipped, default: 0]) shipped)")
        let refunds = report.refunds.map(\.description).joined(separator: ", ")
        print("refunds            \(refunds.isEmpty ? "none" : refunds)")
        let owed = report.refundsOwed.map(\.description).joined(separator: ", ")
        print("owed by channels   \(owed.isEmpty ? "none" : owed) (returns of prepaid orders: the channel refunds)")
        print("")
        printEmails(report.emails)
        print("")
        if lowStock.isEmpty {
            print("low stock: none")
        } else {
            print("low stock")
            StockRow.print(lowStock, json: false)
        }
    }

    /// One row per status: now in all, now per channel, entered ever; a last
    /// row of totals (orders ever received, in all and per channel).
    private static func printStatuses(_ report: OrderReport) {
        let channels = report.currentByChannel.keys.sorted()
        var rows = OrderStatus.allCases.map { status in
            [status.rawValue, "\(report.current[status, default: 0])"]
                + channels.map { "\(report.currentByChannel[$0]?[status] ?? 0)" }
                + ["\(report.entered[status, default: 0])"]
        }
        rows.append(["orders", "\(report.entered[.received, default: 0])"]
            + channels.map { "\(report.receivedByChannel[$0] ?? 0)" } + [""])
        Output.table(["STATUS", "NOW"] + channels.map { $0.uppercased() } + ["ENTERED"], rows)
    }

    private static func printEmails(_ emails: [String: Int]) {
        guard !emails.isEmpty else {
            print("emails sent: none")
            return
        }
        Output.table(["EMAIL EVENT", "SENT"], emails.sorted { $0.key < $1.key }.map { [$0.key, "\($0.value)"] })
    }

    // MARK: - JSON

    private static func json(_ report: OrderReport, lowStock: [StockRow]) -> [String: Any] {
        [
            "orders": ["received": report.entered[.received, default: 0], "now": byName(report.current),
                       "entered": byName(report.entered)] as [String: Any],
            "channels": Dictionary(uniqueKeysWithValues: report.currentByChannel.map { channel, counts in
                (channel, ["received": report.receivedByChannel[channel] ?? 0, "now": byName(counts)] as [String: Any])
            }),
            "order_to_shipment_ms": ["shipped": report.shipTimesCounted,
                                     "median": report.shipTimeMedian ?? NSNull(),
                                     "p95": report.shipTime95thPercentile ?? NSNull()] as [String: Any],
            "delivery": ["success_rate": report.deliverySuccessRate ?? NSNull(),
                         "delivered": report.entered[.delivered, default: 0],
                         "shipments_ended": report.shipmentsEnded] as [String: Any],
            "returns": ["rate": report.returnRate ?? NSNull(),
                        "requested": report.entered[.returnRequested, default: 0],
                        "shipped": report.entered[.shipped, default: 0]] as [String: Any],
            "refunds": report.refunds.map { money in
                ["currency": money.currency.code, "minor_units": money.minorUnits, "text": money.description]
                    as [String: Any]
            },
            "refunds_owed_by_channels": report.refundsOwed.map { money in
                ["currency": money.currency.code, "minor_units": money.minorUnits, "text": money.description]
                    as [String: Any]
            },
            "emails_sent": report.emails,
            "low_stock": lowStock.map(\.json),
        ]
    }

    private static func byName(_ counts: [OrderStatus: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }
}
