import OMSDomain
import Testing
@testable import OMSStore

@Suite("report figures from the counters")
struct OrderReportTests {
    /// Tallies as the store makes them for orders moved along `paths` in `channel`.
    static func counters(_ paths: [(channel: String, statuses: [OrderStatus], shipHours: Double?)])
        -> [ReportCounter: Int] {
        var counters: [ReportCounter: Int] = [:]
        for (channel, statuses, shipHours) in paths {
            var previous: OrderStatus?
            for status in statuses {
                let shippedAt = ReportTestData.start.addingTimeInterval((shipHours ?? 0) * 3600)
                let entry = StatusEntry(status: status, from: previous, channel: channel,
                                        createdAt: ReportTestData.start, enteredAt: shippedAt)
                for (counter, count) in Tally.entering(entry).increments { counters[counter, default: 0] += count }
                previous = status
            }
        }
        return counters
    }

    static let shipped: [OrderStatus] = [.received, .confirmed, .paid, .picked, .shipped]

    @Test("orders per status now and per channel; every status listed")
    func statuses() {
        let report = OrderReport(counters: Self.counters([
            ("web", [.received, .confirmed], nil), ("web", [.received, .backordered, .cancelled], nil),
            ("ebay", [.received, .rejected], nil), ("ebay", Self.shipped, 1),
        ]))
        #expect(report.current.count == OrderStatus.allCases.count)
        #expect(report.current.filter { $0.value > 0 } == [.confirmed: 1, .cancelled: 1, .rejected: 1, .shipped: 1])
        #expect(report.entered[.received] == 4 && report.entered[.backordered] == 1 && report.entered[.paid] == 1)
        #expect(report.currentByChannel["web"]?.filter { $0.value > 0 } == [.confirmed: 1, .cancelled: 1])
        #expect(report.currentByChannel["ebay"]?.filter { $0.value > 0 } == [.rejected: 1, .shipped: 1])
        #expect(report.receivedByChannel == ["web": 2, "ebay": 2])
    }

    @Test("delivery success counts the shipments that ended; return rate the returns per order shipped")
    func rates() {
        let report = OrderReport(counters: Self.counters([
            ("web", Self.shipped + [.delivered], 1), ("web", Self.shipped + [.delivered], 1),
            ("web", Self.shipped + [.delivered, .returnRequested, .returned, .refunded], 1),
            ("web", Self.shipped + [.returnRequested], 1), ("web", Self.shipped, 1),
        ]))
        #expect(report.shipmentsEnded == 4)
        #expect(report.deliverySuccessRate == 0.75)
        #expect(report.returnRate == 0.4)
        #expect(report.current[.shipped] == 1 && report.current[.delivered] == 2 && report.current[.refunded] == 1)
    }

    @Test("no shipments: no rates and no ship times, rather than zeros")
    func empty() {
        let report = OrderReport(counters: [:])
        #expect(report.deliverySuccessRate == nil && report.returnRate == nil)
        #expect(report.shipTimeMedian == nil && report.shipTime95thPercentile == nil && report.shipTimesCounted == 0)
        #expect(report.current.values.allSatisfy { $0 == 0 })
        #expect(report.refunds.isEmpty && report.emails.isEmpty && report.currentByChannel.isEmpty)
    }

    @Test("ship times: median and 95th percentile from the buckets, at most 5 % over")
    func shipTimes() throws {
        let paths = (1...20).map { hour in (channel: "web", statuses: Self.shipped, shipHours: Optional(Double(hour))) }
        let report = OrderReport(counters: Self.counters(paths))
        #expect(report.shipTimesCounted == 20)
        let median = try #require(report.shipTimeMedian), p95 = try #require(report.shipTime95thPercentile)
        #expect(median > 10 * 3_600_000 && Double(median) <= 10 * 3_600_000 * 1.05)
        #expect(p95 > 19 * 3_600_000 && Double(p95) <= 19 * 3_600_000 * 1.05)
    }

    @Test("refunds per currency in minor units, sorted by code; emails per event")
    func refundsAndEmails() {
        let report = OrderReport(counters: [
            .refunds(currency: "USD"): 1250, .refunds(currency: "JPY"): 900, .refunds(currency: "XXZ"): 5,
            .emails(eventType: "order.shipped"): 3,
        ])
        #expect(report.refunds.map(\.description) == ["900 JPY", "12.50 USD"])
        #expect(report.emails == ["order.shipped": 3])
    }

    @Test("a status counted as left before it was counted as entered shows 0, not a negative count")
    func clamped() {
        let report = OrderReport(counters: [.left(.received): 1, .entered(.confirmed): 1,
                                            .left(.received, channel: "web"): 1])
        #expect(report.current[.received] == 0 && report.current[.confirmed] == 1)
    }
}
