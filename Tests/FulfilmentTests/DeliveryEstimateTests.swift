import Foundation
import Fulfilment
import OMSDomain
import Testing

@Suite("Delivery estimates: business days after the dispatch cut-off")
struct DeliveryEstimateTests {
    /// 2026-11-27 is a Friday.
    static func at(_ text: String) -> Date { RFC3339.parse(text)! }

    let calendar = DispatchCalendar(cutoffMinutes: 14 * 60)

    @Test("before the cut-off on a business day it leaves that day; from the cut-off on, the next business day", arguments: [
        ("2026-11-25T09:00:00Z", 3, "2026-11-30"),  // Wednesday: Thu, Fri, Mon
        ("2026-11-27T13:59:00Z", 1, "2026-11-30"),  // Friday before 14:00: out Friday, in Monday
        ("2026-11-27T14:00:00Z", 1, "2026-12-01"),  // Friday at 14:00: out Monday, in Tuesday
        ("2026-11-28T10:00:00Z", 3, "2026-12-03"),  // Saturday: out Monday, in Thursday
        ("2026-11-29T23:59:00Z", 0, "2026-11-30"),  // Sunday, same-day service: Monday
        ("2026-12-31T08:00:00Z", 2, "2027-01-04"),  // Thursday across the year's end and a weekend
    ])
    func delivery(ordered: String, transitDays: Int, expected: String) {
        #expect(DispatchCalendar.dateText(calendar.delivery(after: Self.at(ordered), transitDays: transitDays))
            == expected)
    }

    @Test("the cut-off is HH:MM; anything else is refused")
    func cutoffText() {
        #expect(DispatchCalendar.minutes("14:00") == 840)
        #expect(DispatchCalendar.minutes("00:00") == 0)
        for bad in ["24:00", "9:00", "14:60", "14", "ab:cd", ""] { #expect(DispatchCalendar.minutes(bad) == nil, "\(bad)") }
    }

    @Test("a rate table sets its cut-off; a bad one is refused naming the field")
    func rateTableCutoff() throws {
        var json = try #require(String(data: try Data(contentsOf: Self.defaultTable), encoding: .utf8))
        #expect(RateTable.default.dispatch.cutoffMinutes == 840)
        json = json.replacingOccurrences(of: #""dispatch_cutoff": "14:00""#, with: #""dispatch_cutoff": "10:30""#)
        #expect(try RateTable.decode(from: Array(json.utf8)).dispatch.cutoffMinutes == 630)
        let bad = json.replacingOccurrences(of: #""dispatch_cutoff": "10:30""#, with: #""dispatch_cutoff": "late""#)
        let error = #expect(throws: ConfigurationError.self) { try RateTable.decode(from: Array(bad.utf8)) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("dispatch_cutoff"))
    }

    @Test("the promise for an order uses the rate ship will buy: GB standard is 3 business days")
    func promise() throws {
        let promise = DeliveryPromise(routing: .default, carrier: TableRateCarrier())
        let order = try TestOrders.order(country: "GB")
        #expect(promise.date(for: order, confirmedAt: Self.at("2026-11-27T15:00:00Z")) == "2026-12-03")
        let abroad = try TestOrders.order(country: "US", service: "express")
        #expect(promise.date(for: abroad, confirmedAt: Self.at("2026-11-25T09:00:00Z")) == "2026-12-01")
        #expect(promise.date(for: try TestOrders.order(country: "KP"), confirmedAt: Self.at("2026-11-25T09:00:00Z")) == nil)
    }

    static let defaultTable = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Fulfilment/Defaults/rate-table.json")
}
