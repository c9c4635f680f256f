/// Countries between which goods move without a customs declaration, by
/// country code. Short on purpose: the EU customs union (with Monaco, inside
/// the French customs territory), the UK with the Isle of Man, the US with
/// Puerto Rico. Jersey and Guernsey are outside the UK's customs territory, so
/// a parcel from GB to JE is declared. Any two codes not grouped here and not
/// equal need a declaration.
enum CustomsTerritory {
    static let unions: [Set<String>] = [
        Set("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE MC"
            .split(separator: " ").map(String.init)),
        ["GB", "IM"],
        ["US", "PR"],
    ]

    static func same(_ a: String, _ b: String) -> Bool {
        a == b || unions.contains { $0.contains(a) && $0.contains(b) }
    }
}
