import Foundation

/// RFC 3339 date-times (`2026-11-22T10:00:00Z`, `2026-11-22T11:00:00.5+01:00`):
/// strict, with real calendar days, as JSON Schema's `date-time` format.
public enum RFC3339 {
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= chars.count else { return nil }
            var value = 0
            for byte in chars[index..<index + width] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ allowed: String) -> Bool {
            guard index < chars.count, allowed.utf8.contains(chars[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2) else { return nil }
        var fraction = 0.0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < chars.count, (48...57).contains(chars[index]) { index += 1 }
            guard index > start else { return nil }
            fraction = Self.fraction(chars[start..<index])
        }
        var offsetSeconds = 0
        if expect("Zz") {
            offsetSeconds = 0
        } else {
            guard index < chars.count, chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-")
            else { return nil }
            let sign = chars[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2),
                  offsetHours <= 23, offsetMinutes <= 59 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        // Leap seconds and year 0000 are refused, as JSON Schema's date-time checker does.
        guard index == chars.count, year >= 1, (1...12).contains(month), (1...daysIn(month, year)).contains(day),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let seconds = (hour * 60 + minute) * 60 + second
        // Calendar's value, whole seconds from 2001 (exact in a Double), where the arithmetic below is its.
        let sinceReference = (days(year, month, day) - 11_323) * 86400 + seconds
        guard let date = year >= gregorianSince ? Date(timeIntervalSinceReferenceDate: Double(sinceReference))
            : calendarDate(year, month, day, seconds) else { return nil }
        return date.addingTimeInterval(fraction - Double(offsetSeconds))
    }

    /// From this year on the proleptic Gregorian calendar below is Foundation's
    /// (which is Julian before October 1582); earlier dates go to Calendar.
    private static let gregorianSince = 1600

    /// Days from 1970-01-01 to a Gregorian date (Howard Hinnant's days_from_civil).
    private static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    private static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func calendarDate(_ year: Int, _ month: Int, _ day: Int, _ seconds: Int) -> Date? {
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        return utcCalendar.date(from: components)
    }

    private static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }

    /// The digits after the decimal point as a fraction of a second, rounded as `Double("0.…")`.
    private static func fraction(_ digits: ArraySlice<UInt8>) -> Double {
        if digits.count <= 15 {
            let value = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) }
            if let fraction = Double(digits: value, timesTenToThe: -digits.count) { return fraction }
        }
        return Double("0." + String(decoding: digits, as: UTF8.self)) ?? 0
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension RFC3339 {
    /// `2026-11-22T10:00:00.123Z`: UTC with milliseconds. The date and time
    /// are those of the whole second before `date` (as Calendar gives them),
    /// the milliseconds are cut from `timeIntervalSince1970`.
    public static func format(_ date: Date) -> String {
        // Calendar's fields, from the second counted from 2001 and rounded down.
        let reference = date.timeIntervalSinceReferenceDate.rounded(.down)
        guard reference >= -978_307_200, reference < 252_423_993_600 else { return formatWithCalendar(date) }
        let seconds = Int(reference) + 978_307_200
        let (year, month, day) = civil(seconds / 86400)
        let secondOfDay = seconds % 86400
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        return String(unsafeUninitializedCapacity: 24) { text in
            var end = 0
            func append(_ value: Int, width: Int, then separator: Unicode.Scalar) {
                var rest = value
                for position in (end..<end + width).reversed() {
                    text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                text[end + width] = UInt8(ascii: separator)
                end += width + 1
            }
            append(year, width: 4, then: "-")
            append(month, width: 2, then: "-")
            append(day, width: 2, then: "T")
            append(secondOfDay / 3600, width: 2, then: ":")
            append(secondOfDay / 60 % 60, width: 2, then: ":")
            append(secondOfDay % 60, width: 2, then: ".")
            append(millis, width: 3, then: "Z")
            return end
        }
    }

    /// `format` as Calendar does it (as format did before it computed the
    /// fields itself), for years before 1970 and from 10000 on.
    static func formatWithCalendar(_ date: Date) -> String {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(millis, 3))Z"
    }
}
