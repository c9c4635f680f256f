/// Decimal prices as shops write them ("19.99", 21.5) in integer minor units
/// of the currency, exactly: no binary floating point on the way.
enum MinorUnits {
    /// Nil for text that is not a plain non-negative decimal, or that has
    /// non-zero digits below the currency's minor unit ("0.005" in USD).
    static func parse(_ text: String, exponent: Int) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
              fraction.dropFirst(exponent).allSatisfy({ $0 == "0" }) else { return nil }
        let kept = fraction.prefix(exponent)
        let digits = whole + kept + String(repeating: "0", count: exponent - kept.count)
        return Int64(digits)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
