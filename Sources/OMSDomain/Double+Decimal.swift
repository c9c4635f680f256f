extension Double {
    /// `digits` × 10^`exponent`, correctly rounded (as strtod rounds), where
    /// one operation does it (Clinger's fast path: a significand up to 2^53
    /// and a power of ten a Double holds exactly); nil elsewhere.
    init?(digits: UInt64, timesTenToThe exponent: Int) {
        guard digits <= 1 << 53, (-22...22).contains(exponent) else { return nil }
        self = exponent < 0 ? Double(digits) / Self.powersOfTen[-exponent] : Double(digits) * Self.powersOfTen[exponent]
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
