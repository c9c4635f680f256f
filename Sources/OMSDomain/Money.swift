/// An amount in minor units of a currency: 1250 USD is $12.50. Integers only,
/// so sums are exact; arithmetic across currencies is refused.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    public enum ArithmeticError: Error, Equatable, Sendable {
        case currencyMismatch(String, String)
        case overflow
    }

    public func adding(_ other: Money) throws(ArithmeticError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    public func multiplied(by quantity: Int) throws(ArithmeticError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: Int64(quantity))
        guard !overflow else { throw .overflow }
        return Money(minorUnits: product, currency: currency)
    }

    /// "12.50 USD", "1250 JPY", "1.250 KWD".
    public var description: String {
        let exponent = currency.exponent
        guard exponent > 0 else { return "\(minorUnits) \(currency.code)" }
        var divisor: Int64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let fraction = String(magnitude % UInt64(divisor))
        let padded = String(repeating: "0", count: exponent - fraction.count) + fraction
        return "\(sign)\(magnitude / UInt64(divisor)).\(padded) \(currency.code)"
    }
}
