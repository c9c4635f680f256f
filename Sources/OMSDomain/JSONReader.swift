/// RFC 8259 JSON read from UTF-8 bytes in one pass, without Foundation:
/// whole into a `JSONValue` (`value()`), or member by member into a type
/// (`members(_:)`), with no dictionary in between.
///
/// Stricter than JSONDecoder: trailing commas, invalid UTF-8, unescaped
/// control characters and lone surrogates (`"\uD800"`) are refused, and so
/// is nesting deeper than `maximumDepth`, so hostile input cannot exhaust the
/// stack. As JSONDecoder on Linux: a leading UTF-8 byte order mark is
/// skipped; of duplicate keys the first counts, key and value (`{"a":1,"a":2}`
/// is `{"a":1}`; keys are Swift strings, so canonically equivalent spellings
/// are duplicates too); numbers are `integer` where JSONDecoder decodes an
/// `Int64` (see `number()`).
struct JSONReader {
    /// Objects and arrays nested deeper than this are refused (JSONDecoder: 512).
    static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// What `read` makes of the document; nil unless it reads and nothing but whitespace follows.
    static func read<Value>(_ bytes: [UInt8], _ read: (inout JSONReader) -> Value?) -> Value? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
            guard let value = read(&reader), reader.peek() == nil else { return nil }
            return value
        }
    }

    /// The next byte after whitespace, not consumed; nil at the end.
    private mutating func peek() -> UInt8? {
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.space, ASCII.newline, ASCII.carriageReturn, ASCII.tab: index += 1
            case let byte: return byte
            }
        }
        return nil
    }

    /// Steps into an object or array; false when that would nest too deep.
    private mutating func enter() -> Bool {
        guard depth < Self.maximumDepth else { return false }
        depth += 1
        index += 1
        return true
    }

    /// After a member or item: true at the closing bracket (consumed), false
    /// after a comma (consumed), nil for anything else.
    private mutating func closes(_ bracket: UInt8) -> Bool? {
        switch peek() {
        case ASCII.comma?:
            index += 1
            return false
        case bracket?:
            index += 1
            depth -= 1
            return true
        default:
            return nil
        }
    }

    // MARK: - Any value

    mutating func value() -> JSONValue? {
        guard let byte = peek() else { return nil }
        switch byte {
        case ASCII.openBrace: return object()
        case ASCII.openBracket: return array()
        case ASCII.quote: return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return byte == ASCII.minus || ASCII.isDigit(byte) ? number() : nil
        }
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func object() -> JSONValue? {
        guard enter() else { return nil }
        var fields: [String: JSONValue] = [:]
        if peek() == ASCII.closeBrace { return closes(ASCII.closeBrace).map { _ in .object(fields) } }
        while true {
            guard peek() == ASCII.quote, let key = string(), peek() == ASCII.colon else { return nil }
            index += 1
            guard let member = value() else { return nil }
            // updateValue keeps the key already there; putting its value back keeps the first of duplicates.
            if let first = fields.updateValue(member, forKey: key) { fields[key] = first }
            guard let done = closes(ASCII.closeBrace) else { return nil }
            if done { return .object(fields) }
        }
    }

    private mutating func array() -> JSONValue? {
        guard enter() else { return nil }
        var items: [JSONValue] = []
        if peek() == ASCII.closeBracket { return closes(ASCII.closeBracket).map { _ in .array(items) } }
        while true {
            guard let item = value() else { return nil }
            items.append(item)
            guard let done = closes(ASCII.closeBracket) else { return nil }
            if done { return .array(items) }
        }
    }

    // MARK: - Member by member

    /// Calls `member` with each member's key and the reader at its value,
    /// which `member` must read (or `skip()`); false when the next value is
    /// not an object, when `member` returns false, or for a key this does not
    /// compare itself: one with an escape or a non-ASCII byte, or a 33rd
    /// member. Of duplicate keys the first reaches `member`, as with JSONDecoder.
    mutating func members(_ member: (_ key: JSONKey, _ reader: inout JSONReader) -> Bool) -> Bool {
        guard peek() == ASCII.openBrace, enter() else { return false }
        if peek() == ASCII.closeBrace { return closes(ASCII.closeBrace) ?? false }
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: 32) { seen in
            var count = 0
            while true {
                guard peek() == ASCII.quote, let key = plainKey(), peek() == ASCII.colon, count < seen.count else {
                    return false
                }
                index += 1
                if seen[..<count].contains(where: { Self.same(bytes, $0, key) }) {
                    guard skip() else { return false }
                } else {
                    seen.initializeElement(at: count, to: key)
                    count += 1
                    guard member(JSONKey(bytes: UnsafeBufferPointer(rebasing: bytes[key])), &self) else { return false }
                }
                guard let done = closes(ASCII.closeBrace) else { return false }
                if done { return true }
            }
        }
    }

    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ one: Range<Int>, _ other: Range<Int>) -> Bool {
        guard one.count == other.count else { return false }
        for offset in 0..<one.count where bytes[one.lowerBound + offset] != bytes[other.lowerBound + offset] {
            return false
        }
        return true
    }

    /// The bytes of a key from its opening quote, nil unless plain ASCII without escapes.
    private mutating func plainKey() -> Range<Int>? {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                index += 1
                return start..<index - 1
            }
            guard byte >= 0x20, byte < 0x80, byte != ASCII.backslash else { return nil }
            index += 1
        }
        return nil
    }

    /// Calls `item` for each item of an array; false when the next value is
    /// not an array or `item` returns false.
    mutating func items(_ item: (inout JSONReader) -> Bool) -> Bool {
        guard peek() == ASCII.openBracket, enter() else { return false }
        if peek() == ASCII.closeBracket { return closes(ASCII.closeBracket) ?? false }
        while true {
            guard item(&self), let done = closes(ASCII.closeBracket) else { return false }
            if done { return true }
        }
    }

    /// Reads past the next value, checking it.
    mutating func skip() -> Bool {
        value() != nil
    }

    /// Consumes a null; false (consuming nothing) for anything else.
    mutating func null() -> Bool {
        peek() == UInt8(ascii: "n") && literal("null")
    }

    /// The next value as a string; nil for anything else.
    mutating func string() -> String? {
        peek() == ASCII.quote ? quoted() : nil
    }

    /// The next value as an integer of this type, as JSONDecoder decodes one; nil for anything else.
    mutating func integer<Integer: FixedWidthInteger>(as type: Integer.Type = Integer.self) -> Integer? {
        guard let byte = peek(), byte == ASCII.minus || ASCII.isDigit(byte), case .integer(let value)? = number()
        else { return nil }
        return Integer(exactly: value)
    }

    // MARK: - Strings

    /// A string from its opening quote; nil for an unterminated or invalid one.
    private mutating func quoted() -> String? {
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                let text = Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: ascii)
                index += 1
                return text
            }
            if byte == ASCII.backslash { return escaped(from: start) }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        return nil
    }

    /// Checked UTF-8 as a String; nil when it is not UTF-8.
    private static func text(_ utf8: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String? {
        ascii ? String(decoding: utf8, as: UTF8.self) : String(validating: utf8, as: UTF8.self)
    }

    /// The rest of a string that has escapes, from its first byte at `start`;
    /// `index` is at the first backslash.
    private mutating func escaped(from start: Int) -> String? {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case ASCII.quote:
                // Escapes add whole UTF-8 sequences only, so one check covers the raw bytes between them.
                return utf8.withUnsafeBufferPointer { Self.text($0, ascii: false) }
            case ASCII.backslash:
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case ASCII.quote, ASCII.backslash, ASCII.slash: utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(ASCII.newline)
                case UInt8(ascii: "r"): utf8.append(ASCII.carriageReturn)
                case UInt8(ascii: "t"): utf8.append(ASCII.tab)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape(), let encoded = UTF8.encode(scalar) else { return nil }
                    utf8.append(contentsOf: encoded)
                default: return nil
                }
            case 0..<0x20: return nil
            default: utf8.append(byte)
            }
        }
        return nil
    }

    /// The scalar of `\uXXXX` (from after the `u`); a surrogate pair takes both escapes.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let unit = hexQuad() else { return nil }
        switch unit {
        case 0xD800...0xDBFF:
            guard bytes.count - index >= 2, bytes[index] == ASCII.backslash, bytes[index + 1] == UInt8(ascii: "u")
            else { return nil }
            index += 2
            guard let low = hexQuad(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        case 0xDC00...0xDFFF:
            return nil
        default:
            return Unicode.Scalar(unit)
        }
    }

    private mutating func hexQuad() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: - Numbers

    /// A number as JSONDecoder reads it into `JSONValue`: `integer` where it
    /// decodes an `Int64`, else a Double. Plain digits are an integer when
    /// they fit. With a fraction or an exponent, a number is an integer when
    /// its nearest Double is whole and below 2^53 in magnitude (so `1.0`,
    /// `1e2`, `-0.0` and even `1e-400` are, as with JSONDecoder), or, from
    /// 2^53 up, when the written value is exactly whole and fits. The one
    /// difference: a number from 2^53 up with a fraction (`9007199254740993.5`)
    /// is a Double here, where JSONDecoder drops the fraction. Numbers beyond
    /// Double's range are refused, as JSONDecoder refuses them.
    private mutating func number() -> JSONValue? {
        let start = index
        if bytes[index] == ASCII.minus { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == ASCII.zero {
            index += 1
        } else {
            guard skipDigits() else { return nil }
        }
        var plain = true
        if index < bytes.count, bytes[index] == ASCII.dot {
            index += 1
            guard skipDigits() else { return nil }
            plain = false
        }
        if index < bytes.count, ASCII.isExponentMark(bytes[index]) {
            index += 1
            if index < bytes.count, bytes[index] == ASCII.plus || bytes[index] == ASCII.minus { index += 1 }
            guard skipDigits() else { return nil }
            plain = false
        }
        let token = JSONNumberToken(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        if plain, let integer = token.plainInteger() { return .integer(integer) }
        guard let double = token.double(), double.isFinite else { return nil }
        if !plain {
            if double.magnitude < 0x1p53, double == double.rounded(.towardZero) { return .integer(Int64(double)) }
            // JSONDecoder refuses Int64.min and a Double of 2^63 here; so does this.
            if Int64(exactly: double) != nil, let integer = token.exactInteger(), integer != .min,
               Double(integer) == double {
                return .integer(integer)
            }
        }
        return .number(double)
    }

    /// Skips one or more digits; false when there is none.
    private mutating func skipDigits() -> Bool {
        let start = index
        while index < bytes.count, ASCII.isDigit(bytes[index]) { index += 1 }
        return index > start
    }
}

extension JSONReader {
    /// Reads a member's value into `target`; false when it does not read.
    mutating func read<Value>(into target: inout Value?, _ read: (inout JSONReader) -> Value?) -> Bool {
        target = read(&self)
        return target != nil
    }

    /// Reads an optional member (`decodeIfPresent`): null is nil, anything
    /// else must read; false when it does not.
    mutating func read<Value>(into target: inout Value??, _ read: (inout JSONReader) -> Value?) -> Bool {
        target = null() ? .some(nil) : read(&self).map(Optional.some)
        return target != nil
    }

    mutating func string(into target: inout String?) -> Bool {
        read(into: &target) { $0.string() }
    }

    mutating func string(into target: inout String??) -> Bool {
        read(into: &target) { $0.string() }
    }

    mutating func integer<Integer: FixedWidthInteger>(into target: inout Integer?) -> Bool {
        read(into: &target) { $0.integer(as: Integer.self) }
    }

    mutating func integer<Integer: FixedWidthInteger>(into target: inout Integer??) -> Bool {
        read(into: &target) { $0.integer(as: Integer.self) }
    }

    /// A string that is a raw value of `Choice`.
    mutating func choice<Choice: RawRepresentable>(into target: inout Choice?) -> Bool where Choice.RawValue == String {
        read(into: &target) { $0.string().flatMap(Choice.init(rawValue:)) }
    }

    mutating func choice<Choice: RawRepresentable>(into target: inout Choice??) -> Bool
    where Choice.RawValue == String {
        read(into: &target) { $0.string().flatMap(Choice.init(rawValue:)) }
    }

    /// An array whose every item reads.
    mutating func array<Item>(_ read: (inout JSONReader) -> Item?) -> [Item]? {
        var result: [Item] = []
        let complete = items { reader in
            guard let item = read(&reader) else { return false }
            result.append(item)
            return true
        }
        return complete ? result : nil
    }
}

/// A member's key, plain ASCII, matched in a switch against literals
/// (`case "id":`) byte by byte, without making a String.
struct JSONKey {
    fileprivate let bytes: UnsafeBufferPointer<UInt8>

    static func ~= (pattern: StaticString, key: JSONKey) -> Bool {
        guard pattern.utf8CodeUnitCount == key.bytes.count else { return false }
        for offset in 0..<key.bytes.count where pattern.utf8Start[offset] != key.bytes[offset] { return false }
        return true
    }
}
