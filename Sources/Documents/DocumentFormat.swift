import Foundation

/// How documents print dates and weights: UTC, digits only, no locale, so
/// the same input reads the same on every machine.
enum DocumentFormat {
    /// "2026-11-22"
    static func date(_ date: Date) -> String {
        let parts = utcComponents(date)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
    }

    /// "2026-11-22 10:00 UTC"
    static func dateTime(_ date: Date) -> String {
        let parts = utcComponents(date)
        return "\(self.date(date)) \(pad(parts.hour, 2)):\(pad(parts.minute, 2)) UTC"
    }

    /// 1250 g is "1.250 kg".
    static func kilograms(_ grams: Int) -> String {
        kilogramDigits(grams) + " kg"
    }

    /// 1250 g is "1.250".
    static func kilogramDigits(_ grams: Int) -> String {
        let sign = grams < 0 ? "-" : ""
        let magnitude = grams.magnitude
        return "\(sign)\(magnitude / 1000).\(pad(Int(magnitude % 1000), 3))"
    }

    static func utcComponents(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    static func pad(_ value: Int?, _ width: Int) -> String {
        let text = String(value ?? 0)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
