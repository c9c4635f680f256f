/// An email address with an optional display name, checked so that it can go
/// into a header and an SMTP envelope as it is: ASCII, one @, no spaces,
/// quotes, brackets or separators, at most 254 characters, and a name without
/// line breaks or control characters (it is written as RFC 2047 encoded-words
/// when it is not plain ASCII words).
public struct Mailbox: Sendable, Hashable {
    public let address: String
    /// Empty when there is none.
    public let name: String

    /// `addressPath` and `namePath` name the fields in errors ("customer.email", "customer.name").
    public init(address: String, name: String = "", addressPath: String = "address",
                namePath: String = "name") throws(NotificationError) {
        if let problem = Self.problem(address: address) {
            throw .invalidAddress(path: addressPath, problem: problem)
        }
        if let problem = HeaderSafety.problem(name, maxLength: 200) {
            throw .unsafeText(path: namePath, problem: problem)
        }
        self.address = address
        self.name = name.trimmingSpaces()
    }

    /// What is wrong with an address, in words that do not repeat it.
    static func problem(address: String) -> String? {
        if address.isEmpty { return "is empty; an email address such as ada@example.com is needed" }
        if let problem = HeaderSafety.problem(address, maxLength: .max) { return problem }
        let scalars = address.unicodeScalars
        if scalars.count > 254 { return "is \(scalars.count) characters long; an email address has at most 254" }
        if scalars.contains(where: { !$0.isASCII }) {
            return "contains non-ASCII characters; internationalised addresses (SMTPUTF8) are not supported"
        }
        if scalars.contains(" ") { return "contains a space; an email address has none" }
        let ats = scalars.filter { $0 == "@" }.count
        guard ats == 1 else {
            return ats == 0 ? "has no @; it must be an email address such as ada@example.com"
                : "has \(ats) @ signs; an email address has exactly one"
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let local = parts[0], domain = parts[1]
        if let bad = address.unicodeScalars.first(where: { Self.unquotable.contains($0) }) {
            return "contains '\(bad)'; quotes, brackets, commas, colons, semicolons and backslashes cannot be "
                + "written unquoted in an address"
        }
        if local.isEmpty { return "has nothing before the @" }
        if local.utf8.count > 64 { return "has \(local.utf8.count) characters before the @; at most 64 are allowed" }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            return "starts or ends with a dot, or has two in a row, before the @"
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let hostChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".unicodeScalars)
        guard labels.count >= 2,
              labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && $0.unicodeScalars.allSatisfy(hostChars.contains)
                                  && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else {
            return "must have a domain such as example.com after the @ (letters, digits and hyphens, with dots)"
        }
        return nil
    }

    private static let unquotable = Set("<>()[],;:\"\\".unicodeScalars)
}

extension String {
    /// Without leading and trailing spaces (names are checked for control
    /// characters before this, so spaces are the only blanks left to trim).
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
