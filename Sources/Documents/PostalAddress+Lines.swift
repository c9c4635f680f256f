import OMSDomain

/// How an address is laid out on a document.
extension PostalAddress {
    /// "London N1 9GU", "Springfield IL 62704": city, region, postal code.
    var cityLine: String {
        [city, region, postalCode].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Street lines and the city line, without name or country; no empty line.
    var streetAndCity: [String] {
        (lines + [cityLine]).filter { !$0.isEmpty }
    }
}
