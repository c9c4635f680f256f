import Foundation
@testable import OMSDomain
import Testing

/// RFC 3339 without Calendar where the proleptic Gregorian arithmetic is
/// Calendar's: the same text and the same dates, to the last bit, as the
/// Calendar code it replaces (stored documents and their hashes depend on it).
@Suite("RFC 3339")
struct RFC3339Tests {
    static func dates() -> [Date] {
        var random = SeededGenerator(seed: 3339)
        var dates: [Date] = JSONSamples.dates
        for _ in 0..<20_000 {
            let second = Double(Int.random(in: 0..<252_423_993_600, using: &random))
            let fraction = random.pick([0, 1e-9, 1e-7, 2.4e-7, 1e-6, 0.000_5, 0.001, 0.999, 0.999_999_9, 1 - 1e-9,
                                        Double.random(in: 0..<1, using: &random)])
            dates.append(Date(timeIntervalSinceReferenceDate: second - 978_307_200 + fraction))
            dates.append(Date(timeIntervalSinceReferenceDate: second - 978_307_200 - fraction))
            dates.append(Date(timeIntervalSince1970: second + fraction))
        }
        // Around the ends of the fast range, and beyond it (Calendar).
        for seconds in [-1.0, -0.000_1, 0, 0.000_1, 253_402_300_799.999, 253_402_300_800, -11_676_096_000,
                        -12_219_292_800, -62_135_596_800, 1e12] {
            dates.append(Date(timeIntervalSince1970: seconds))
        }
        return dates
    }

    @Test("format gives Calendar's text for every date")
    func format() {
        for date in Self.dates() {
            #expect(RFC3339.format(date) == RFC3339.formatWithCalendar(date), "\(date.timeIntervalSinceReferenceDate)")
        }
    }

    @Test("parse gives Calendar's date for every valid text")
    func parse() throws {
        var random = SeededGenerator(seed: 1582)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        for _ in 0..<20_000 {
            let year = random.chance(0.1) ? Int.random(in: 1...1700, using: &random) : Int.random(in: 1...9999, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let day = Int.random(in: 1...[31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1], using: &random)
            let (hour, minute, second) = (Int.random(in: 0...23, using: &random), Int.random(in: 0...59, using: &random),
                                          Int.random(in: 0...59, using: &random))
            let digits = String((0..<Int.random(in: 0...20, using: &random)).map { _ in random.pick(Array("0123456789")) })
            let offset = random.chance(0.5) ? 0 : Int.random(in: -23...23, using: &random) * 3600 + random.pick([0, 30, 45]) * 60
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let zone = offset == 0 && random.chance(0.5) ? random.pick(["Z", "z"])
                : (offset < 0 ? "-" : "+") + two(abs(offset) / 3600) + ":" + two(abs(offset) / 60 % 60)
            let text = String(repeating: "0", count: 4 - String(year).count) + "\(year)-\(two(month))-\(two(day))"
                + random.pick(["T", "t"]) + "\(two(hour)):\(two(minute)):\(two(second))"
                + (digits.isEmpty ? "" : ".\(digits)") + zone
            let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            let expected = try #require(calendar.date(from: components))
                .addingTimeInterval((digits.isEmpty ? 0 : Double("0." + digits)!) - Double(offset))
            #expect(RFC3339.parse(text)?.timeIntervalSinceReferenceDate.bitPattern
                    == expected.timeIntervalSinceReferenceDate.bitPattern, "\(text)")
        }
    }

    @Test("what is not an RFC 3339 date-time is still refused", arguments: [
        "2026-02-29T10:00:00Z", "2026-11-22T10:00:00", "2026-11-22 10:00:00Z", "0000-01-01T00:00:00Z",
        "2026-11-22T24:00:00Z", "2026-11-22T10:00:60Z", "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00+1:00",
        "2026-11-22T10:00:00Z\n", "1900-02-29T00:00:00Z",
    ])
    func refused(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
