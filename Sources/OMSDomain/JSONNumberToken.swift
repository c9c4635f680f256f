/// The bytes of one JSON number that `JSONParser` has checked against the
/// grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), read as an
/// integer or a Double.
struct JSONNumberToken {
    private let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private var isNegative: Bool { bytes[0] == ASCII.minus }

    /// Digits without a fraction or an exponent, when they fit an Int64.
    func plainInteger() -> Int64? {
        var magnitude: UInt64 = 0
        for byte in bytes[(isNegative ? 1 : 0)...] {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(byte &- ASCII.zero))
            guard !overflow, !carry else { return nil }
            magnitude = sum
        }
        return Self.integer(magnitude, negative: isNegative)
    }

    /// The value when it is exactly a whole number that fits an Int64.
    func exactInteger() -> Int64? {
        guard let (digits, exponent) = decimal(), exponent >= 0 else { return nil }
        var magnitude = digits
        for _ in 0..<exponent {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = product
        }
        return Self.integer(magnitude, negative: isNegative)
    }

    private static func integer(_ magnitude: UInt64, negative: Bool) -> Int64? {
        guard negative else { return Int64(exactly: magnitude) }
        guard magnitude <= Int64.min.magnitude else { return nil }
        return Int64(truncatingIfNeeded: 0 &- magnitude)
    }

    /// The nearest Double, as strtod gives it; infinite beyond Double's range.
    func double() -> Double? {
        if let (digits, exponent) = decimal(), let magnitude = Double(digits: digits, timesTenToThe: exponent) {
            return isNegative ? -magnitude : magnitude
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// The magnitude as significant digits times a power of ten; nil when the
    /// digits (zeros at either end left out) exceed 19 or the written
    /// exponent 5 digits.
    private func decimal() -> (digits: UInt64, exponent: Int)? {
        var digits: UInt64 = 0
        var count = 0
        var exponent = 0
        var pendingZeros = 0
        var inFraction = false
        var position = isNegative ? 1 : 0
        while position < bytes.count, !ASCII.isExponentMark(bytes[position]) {
            let byte = bytes[position]
            position += 1
            if byte == ASCII.dot {
                inFraction = true
                continue
            }
            if inFraction { exponent -= 1 }
            if byte == ASCII.zero {
                // A zero counts once a later digit shows it is not trailing; leading ones never do.
                if count > 0 { pendingZeros += 1 }
                continue
            }
            count += pendingZeros + 1
            guard count <= 19 else { return nil }
            for _ in 0..<pendingZeros {
                digits *= 10
            }
            pendingZeros = 0
            digits = digits * 10 + UInt64(byte - ASCII.zero)
        }
        exponent += pendingZeros
        if position < bytes.count {
            position += 1
            let negative = bytes[position] == ASCII.minus
            if negative || bytes[position] == ASCII.plus { position += 1 }
            guard bytes.count - position <= 5 else { return nil }
            var written = 0
            for byte in bytes[position...] {
                written = written * 10 + Int(byte - ASCII.zero)
            }
            exponent += negative ? -written : written
        }
        return (digits, exponent)
    }
}
