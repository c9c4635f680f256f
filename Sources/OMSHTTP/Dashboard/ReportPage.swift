import Hummingbird
import OMSDomain
import OMSStore

/// `/report`: the figures of `oms report`, with bar charts drawn as SVG on
/// the server: orders per status now, orders per channel, order → shipment.
struct ReportPage: Sendable {
    let backends: Backends
    let pages: Pages
    let access: StaffAccess

    func register(on router: Router<ServeRequestContext>) {
        router.get("report") { request, _ in
            try await access.page(request) { session in
                let report = OrderReport(counters: try await backends.orders.reportCounters())
                var context = Dashboard.context("Report", session: session, access: access)
                for (key, value) in Self.figures(report) { context[key] = value }
                context["charts"] = Self.charts(report).map { ["svg": $0.svg] }
                return pages.render("report", context)
            }
        }
    }

    static func figures(_ report: OrderReport) -> [String: Any] {
        let refunds = report.refunds.map(\.description).joined(separator: ", ")
        return [
            "received": report.entered[.received, default: 0],
            "median": report.shipTimeMedian.map { "≤ " + OrderReport.duration($0) } ?? "-",
            "slowest": report.shipTime95thPercentile.map { "≤ " + OrderReport.duration($0) } ?? "-",
            "shipped": report.shipTimesCounted,
            "deliverySuccess": OrderReport.percent(report.deliverySuccessRate),
            "returnRate": OrderReport.percent(report.returnRate),
            "refunds": refunds.isEmpty ? "none" : refunds,
        ]
    }

    static func charts(_ report: OrderReport) -> [BarChart] {
        let statuses = OrderStatus.allCases.map { status in
            BarChart.Bar(label: status.rawValue, value: Double(report.current[status, default: 0]),
                         text: "\(report.current[status, default: 0])")
        }
        let channels = report.receivedByChannel.sorted { $0.key < $1.key }.map {
            BarChart.Bar(label: $0.key, value: Double($0.value), text: "\($0.value)")
        }
        let times = [("median", report.shipTimeMedian), ("95th percentile", report.shipTime95thPercentile)]
            .compactMap { label, milliseconds in
                milliseconds.map { BarChart.Bar(label: label, value: Double($0), text: "≤ " + OrderReport.duration($0)) }
            }
        return [BarChart(title: "Orders now, per status", bars: statuses),
                BarChart(title: "Orders received, per channel", bars: channels),
                BarChart(title: "Order → shipment", bars: times)]
    }
}
