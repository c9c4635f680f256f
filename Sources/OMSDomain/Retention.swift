/// How long an order's keys stay in Redis once it is settled (`OrderStatus.isSettled`),
/// so that Redis does not grow with every order ever taken; `keep` (0) keeps them.
/// The counters of `oms report` outlive the orders they count.
///
/// Written as a whole number with a unit: `30d`, `12h`, `45m`, `3600s` (a bare
/// number is seconds); `0` keeps orders. At most 100 years, which Redis's
/// EXPIRE takes without complaint.
public struct Retention: Sendable, Hashable {
    /// Zero: kept for ever.
    public let seconds: Int

    public static let keep = Retention(validSeconds: 0)
    /// Thirty days: long enough for a return after delivery.
    public static let standard = Retention(validSeconds: 30 * 86_400)

    /// Nil for text that is not a whole number with an optional unit s, m, h or d.
    public init?(_ text: String) {
        let unit = text.last.flatMap { Self.unitSeconds[$0] }
        let digits = unit == nil ? Substring(text) : text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
            return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: unit ?? 1)
        guard !overflow, product <= Self.longest else { return nil }
        seconds = product
    }

    private init(validSeconds: Int) {
        seconds = validSeconds
    }

    private static let longest = 36_500 * 86_400
    private static let unitSeconds: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]

    /// Seconds the order's keys live on after it enters `status`: the
    /// retention for a settled status, 0 (no expiry) for any other.
    public func timeToLive(afterEntering status: OrderStatus) -> Int {
        status.isSettled ? seconds : 0
    }
}
