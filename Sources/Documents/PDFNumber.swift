/// Numbers as PDF writes them: plain decimals (PDF has no exponent notation),
/// at most three fraction digits, no trailing zeros, no "-0". Computed with
/// integers so the same value always gives the same bytes.
enum PDFNumber {
    static func format(_ value: Double) -> String {
        // Far beyond any page (PDF's own limit is about 32767), and safe to convert.
        let bound = 1e12
        guard value.isFinite else { return "0" }
        let thousandths = Int64((min(max(value, -bound), bound) * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        let whole = magnitude / 1000
        var fraction = magnitude % 1000
        guard fraction != 0 else { return sign + String(whole) }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}
