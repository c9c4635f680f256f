import CLISupport
import Foundation
import Histogram

/// Latencies of one kind (end to end, or one stage) in microseconds.
struct LatencyFigures {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(microseconds: Int64) {
        _ = histogram.record(UInt64(max(microseconds, 0)))
    }

    var count: Int { Int(histogram.totalCount) }

    func milliseconds(_ percentile: Double) -> Double {
        (Double(histogram.valueAtPercentile(percentile)) / 10).rounded() / 100
    }

    var maxMilliseconds: Double { (Double(histogram.max) / 10).rounded() / 100 }

    var json: [String: Any] {
        ["p50_ms": milliseconds(50), "p90_ms": milliseconds(90), "p99_ms": milliseconds(99), "max_ms": maxMilliseconds]
    }
}

/// What one bench run measured, and what it checked.
struct BenchResult {
    var orders: Int
    var copies: [String: Int]
    var elapsedSeconds: Double
    var endToEnd: LatencyFigures
    var stages: [(name: String, latency: LatencyFigures)]
    /// Stage → CPU seconds of all its copies during the run.
    var cpuSeconds: [String: Double]
    /// Stage → the largest peak RSS among its copies.
    var peakRSS: [String: Int]
    var redisBytesPerOrder: Double
    var checks: BenchChecks
    /// The nodes `--chaos` killed during the run.
    var killed: [KilledNode] = []
    /// The run's order ids are this and 1…orders, for whoever checks more in Redis.
    var orderPrefix = ""

    var ordersPerSecond: Double { elapsedSeconds > 0 ? (Double(orders) / elapsedSeconds * 10).rounded() / 10 : 0 }

    var json: [String: Any] {
        var object: [String: Any] = [
            "name": "oms", "orders": orders, "orders_per_s": ordersPerSecond,
            "elapsed_s": (elapsedSeconds * 100).rounded() / 100, "copies": copies,
            "redis_bytes_per_order": redisBytesPerOrder.rounded(), "checks": checks.json, "order_prefix": orderPrefix,
        ]
        object.merge(endToEnd.json) { _, new in new }
        let latencies = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0.latency) })
        object["stages"] = Dictionary(uniqueKeysWithValues: stageNames.map { name in
            var figures = latencies[name]?.json ?? [:]
            if let cpu = cpuSeconds[name] {
                figures["cpu_s_per_1000"] = (cpu / Double(max(orders, 1)) * 1000 * 1000).rounded() / 1000
            }
            if let rss = peakRSS[name] { figures["peak_rss_mib"] = (Double(rss) / 1_048_576 * 10).rounded() / 10 }
            return (name, figures)
        })
        return object
    }

    func printTable() {
        print("\n\(orders) orders in \(String(format: "%.2f", elapsedSeconds)) s: \(ordersPerSecond) orders/s end to end "
            + "(first publish to the last order.shipped event)")
        Output.table(["STAGE", "P50 MS", "P90 MS", "P99 MS", "MAX MS", "CPU S/1000", "PEAK RSS MIB"],
                     [row(name: "end to end", endToEnd)] + stageNames.map { name in
                         row(name: name, stages.first { $0.name == name }?.latency)
                     })
        print("Redis memory per completed order: \(Int(redisBytesPerOrder)) bytes")
        print(checks.line)
    }

    /// The latency stages first, then the ones measured by CPU and memory only.
    var stageNames: [String] {
        stages.map(\.name) + cpuSeconds.keys.sorted().filter { name in !stages.contains { $0.name == name } }
    }

    private func row(name: String, _ latency: LatencyFigures?) -> [String] {
        let figure = { (value: Double?) in value.map { "\($0)" } ?? "-" }
        return [name, figure(latency?.milliseconds(50)), figure(latency?.milliseconds(90)),
         figure(latency?.milliseconds(99)), figure(latency?.maxMilliseconds),
         cpuSeconds[name].map { String(format: "%.3f", $0 / Double(max(orders, 1)) * 1000) } ?? "",
         peakRSS[name].map { String(format: "%.1f", Double($0) / 1_048_576) } ?? ""]
    }
}

/// The bench's correctness checks, from Redis after the run.
struct BenchChecks {
    /// Orders not shipped (lost, or stuck).
    var lost: Int
    /// Orders whose version shows a transition done twice.
    var duplicated: Int
    /// SKUs whose counters differ from the stock arithmetic, or went negative.
    var oversold: Int
    /// Orders without the email marker of order.confirmed or order.shipped.
    var emailsMissing: Int
    /// Worker copies not running when the last order was done (`oms-pick#1`…).
    var workersDown: [String] = []

    var passed: Bool { lost == 0 && duplicated == 0 && oversold == 0 && emailsMissing == 0 && workersDown.isEmpty }

    var json: [String: Any] {
        ["lost": lost, "duplicated": duplicated, "oversold": oversold, "emails_missing": emailsMissing,
         "workers_down": workersDown, "passed": passed]
    }

    var line: String {
        "checks: lost \(lost), duplicated \(duplicated), oversold SKUs \(oversold), "
            + "orders missing an email \(emailsMissing), workers down \(workersDown.count): "
            + (passed ? "passed" : "FAILED")
    }
}
