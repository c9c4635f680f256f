import Foundation

/// When a parcel leaves and when it arrives, in business days (Monday to
/// Friday, UTC; no public holidays). An order in before the cut-off on a
/// business day is dispatched that day, else on the next business day; it
/// arrives `transitDays` business days after dispatch.
public struct DispatchCalendar: Sendable, Hashable {
    /// Minutes after midnight UTC: orders after this are dispatched the next business day.
    public var cutoffMinutes: Int

    public init(cutoffMinutes: Int = 14 * 60) {
        self.cutoffMinutes = cutoffMinutes
    }

    /// "14:00" → 840; nil unless HH:MM within a day.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The business day a parcel ordered (or picked) at `time` leaves, at midnight UTC.
    public func dispatchDay(after time: Date) -> Date {
        let day = Self.calendar.startOfDay(for: time)
        let minutes = Self.calendar.dateComponents([.minute], from: day, to: time).minute ?? 0
        if Self.isBusinessDay(day), minutes < cutoffMinutes { return day }
        return Self.nextBusinessDay(after: day)
    }

    /// The day a parcel dispatched on `time`'s dispatch day arrives, `transitDays` business days on.
    public func delivery(after time: Date, transitDays: Int) -> Date {
        var day = dispatchDay(after: time)
        for _ in 0..<transitDays { day = Self.nextBusinessDay(after: day) }
        return day
    }

    /// YYYY-MM-DD, the form events carry.
    public static func dateText(_ day: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    private static func isBusinessDay(_ day: Date) -> Bool {
        !calendar.isDateInWeekend(day)
    }

    private static func nextBusinessDay(after day: Date) -> Date {
        var next = calendar.date(byAdding: .day, value: 1, to: day)!
        while !isBusinessDay(next) { next = calendar.date(byAdding: .day, value: 1, to: next)! }
        return next
    }
}
