/// The pieces of a server URL that every client layer parses the same way.
public enum URLText {
    /// `%2F` → `/`; nil on a broken escape or bytes that are not UTF-8.
    public static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var remaining = text.utf8[...]
        while let byte = remaining.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let pair = String(decoding: remaining.prefix(2), as: UTF8.self)
            guard pair.count == 2, pair.allSatisfy(\.isHexDigit), let value = UInt8(pair, radix: 16) else {
                return nil
            }
            bytes.append(value)
            remaining = remaining.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Digits only, at most `maxDigits` (`Int("+5")` would accept a sign).
    public static func decimal(_ text: Substring, maxDigits: Int) -> Int? {
        guard (1...maxDigits).contains(text.utf8.count),
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }
}
