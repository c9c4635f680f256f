/// The string rules of the message contract (schemas/common.schema.json says
/// the same in JSON Schema).
struct TextRule: Sendable {
    let problem: @Sendable (String) -> String?

    static let any = TextRule { _ in nil }

    /// Free text shown to people or put in email headers: no control
    /// characters, so CR/LF can never start a header.
    static func text(maxLength: Int) -> TextRule {
        TextRule { text in
            if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return "must not contain control characters (CR, LF, tab…)"
            }
            let length = text.unicodeScalars.count
            return (1...maxLength).contains(length) ? nil : "must be 1 to \(maxLength) characters"
        }
    }

    /// ASCII tokens: a first character from `first`, the rest from `rest`.
    static func token(first: String, rest: String, maxLength: Int, meaning: String) -> TextRule {
        let firstSet = Set(first.unicodeScalars)
        let restSet = Set(rest.unicodeScalars)
        return TextRule { text in
            let scalars = Array(text.unicodeScalars)
            guard let head = scalars.first, scalars.count <= maxLength, firstSet.contains(head),
                  scalars.dropFirst().allSatisfy(restSet.contains) else {
                return "must be \(meaning)"
            }
            return nil
        }
    }

    static func oneOf(_ allowed: Set<String>, meaning: String) -> TextRule {
        TextRule { text in allowed.contains(text) ? nil : "'\(text)' is not \(meaning)" }
    }

    private static let digits = "0123456789"
    private static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    private static let lower = "abcdefghijklmnopqrstuvwxyz"

    static let orderID = token(first: upper + lower + digits, rest: upper + lower + digits + "._:-", maxLength: 100,
                               meaning: "1 to 100 letters, digits or . _ : - starting with a letter or digit")
    static let sku = token(first: upper + digits, rest: upper + digits + "._-", maxLength: 64,
                           meaning: "1 to 64 capital letters, digits or . _ - starting with a letter or digit")
    static let channel = token(first: lower + digits, rest: lower + digits + "_-", maxLength: 50,
                               meaning: "1 to 50 lowercase letters, digits, _ or - starting with a letter or digit")
    static let tag = channel
    static let paymentToken = token(first: upper + lower + digits + "_", rest: upper + lower + digits + "_",
                                    maxLength: 100, meaning: "1 to 100 letters, digits or _")
    static let location = token(first: upper + lower + digits, rest: upper + lower + digits + "._-", maxLength: 64,
                                meaning: "1 to 64 letters, digits or . _ - starting with a letter or digit")
    static let restockID = token(first: upper + lower + digits + "._:-", rest: upper + lower + digits + "._:-",
                                 maxLength: 100, meaning: "1 to 100 letters, digits or . _ : -")
    static let trackingNumber = TextRule { text in
        let allowed = Set((upper + digits).unicodeScalars)
        return (6...40).contains(text.unicodeScalars.count) && text.unicodeScalars.allSatisfy(allowed.contains)
            ? nil : "must be 6 to 40 capital letters or digits"
    }
    static let postalCode = TextRule { text in
        let allowed = Set((upper + lower + digits + " -").unicodeScalars)
        return (1...20).contains(text.unicodeScalars.count) && text.unicodeScalars.allSatisfy(allowed.contains)
            ? nil : "must be 1 to 20 letters, digits, spaces or -"
    }
    static let phone = TextRule { text in
        let allowed = Set((digits + " ()-").unicodeScalars)
        var scalars = Substring.UnicodeScalarView(text.unicodeScalars)
        if scalars.first == "+" { scalars = scalars.dropFirst() }
        return (3...30).contains(scalars.count) && scalars.allSatisfy(allowed.contains)
            ? nil : "must be a phone number (digits, spaces, ( ) -, optionally starting with +)"
    }
    static let hsCode = TextRule { text in
        let allowed = Set(digits.unicodeScalars)
        return (6...10).contains(text.unicodeScalars.count) && text.unicodeScalars.allSatisfy(allowed.contains)
            ? nil : "must be an HS code of 6 to 10 digits"
    }
    static let externalID = TextRule { text in
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "must not contain control characters (CR, LF, tab…)"
        }
        return (1...100).contains(text.unicodeScalars.count) ? nil : "must be 1 to 100 characters"
    }

    /// One @, a dot in the domain, no spaces, quotes, brackets or separators:
    /// what a mail header can carry safely.
    static let email = TextRule { text in
        let forbidden = Set("@<>(),;:\"[]\\".unicodeScalars)
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.unicodeScalars.count <= 254, parts.count == 2,
              let local = parts.first, let domain = parts.last, !local.isEmpty,
              !(local + domain).unicodeScalars.contains(where: { forbidden.contains($0) || $0.properties.isWhitespace }),
              domain.count >= 3, domain.dropFirst().dropLast().contains(".") else {
            return "must be an email address such as ada@example.com"
        }
        return nil
    }

    static let currency = oneOf(Currency.all, meaning: "an ISO 4217 currency code")
    static let country = oneOf(Country.codes, meaning: "an ISO 3166-1 alpha-2 country code")
}

extension Order {
    /// Whether a text is a well-formed order id (schemas/common.schema.json's
    /// `OrderID`), for code that meets ids outside an order's validation.
    public static func isValidID(_ text: String) -> Bool {
        TextRule.orderID.problem(text) == nil
    }
}
