import OMSDomain

/// Amounts as customers read them. USD, EUR, GBP and JPY get their symbol in
/// front (`$12.50`, `€12.50`, `£12.50`, `¥1250`); any other currency is
/// written as `Money` writes it (`12.50 CHF`, `1.250 KWD`), which is
/// unambiguous in every language. No thousands separators: which one is right
/// depends on the reader's locale, which the event does not carry.
public enum AmountFormat {
    public static let symbols: [String: String] = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"]

    public static func display(_ money: Money) -> String {
        let plain = money.description  // "12.50 USD", "-3.00 EUR"
        guard let symbol = symbols[money.currency.code] else { return plain }
        let number = plain.dropLast(money.currency.code.count + 1)
        return number.hasPrefix("-") ? "-" + symbol + number.dropFirst() : symbol + number
    }
}
