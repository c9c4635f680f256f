/// The shape of a postal code in the countries most orders ship to: a code
/// that cannot exist there rejects the order with the field named, before a
/// label is bought for an address the carrier will send back. Countries not
/// in the table keep the general rule (letters, digits, spaces, -).
///
/// The same patterns are in schemas/order.place.schema.json (ECMA-262
/// syntax, which Swift's Regex reads alike); SchemaAgreementTests runs the
/// examples through both.
public enum PostalCodeFormat {
    /// Country → (pattern, an example for the message).
    public static let formats: [String: (pattern: String, example: String)] = [
        "GB": ("^(GIR ?0AA|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2})$", "N1 9GU"),
        "US": ("^[0-9]{5}(-[0-9]{4})?$", "94103 or 94103-1234"),
        "CA": ("^[ABCEGHJ-NPRSTVXYabceghj-nprstvxy][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]$", "K1A 0B1"),
        "DE": ("^[0-9]{5}$", "10115"),
        "FR": ("^[0-9]{5}$", "75008"),
        "NL": ("^[1-9][0-9]{3} ?[A-Za-z]{2}$", "1012 AB"),
        "IE": ("^([AC-FHKNPRTV-Yac-fhknprtv-y][0-9]{2}|[Dd]6[Ww]) ?[0-9AC-FHKNPRTV-Yac-fhknprtv-y]{4}$", "D02 X285"),
        "AU": ("^[0-9]{4}$", "2000"),
        "JP": ("^[0-9]{3}-?[0-9]{4}$", "100-0001"),
    ]

    // Compiled once. Regex is not Sendable only because its output type may
    // hold `Any`; the compiled program is immutable and only read here.
    nonisolated(unsafe) private static let compiled: [String: Regex<AnyRegexOutput>] = formats.compactMapValues {
        try? Regex($0.pattern)
    }

    /// Why the code cannot be one of the country's, or nil.
    public static func problem(_ code: String, country: String) -> String? {
        guard let regex = compiled[country], let example = formats[country]?.example else { return nil }
        return (try? regex.wholeMatch(in: code)) != nil ? nil : "is not a postal code of \(country) (e.g. \(example))"
    }
}
