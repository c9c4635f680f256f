/// Compact JSON bytes exactly as Foundation's JSONEncoder writes them with
/// `[.sortedKeys, .withoutEscapingSlashes]` (swift-foundation's JSONWriter):
/// no whitespace; in strings `"` and `\` escaped, backspace, form feed, line
/// feed, carriage return and tab as `\b \f \n \r \t`, other control
/// characters as `\u00XX` (lower-case hex), everything else as is (`/`, DEL,
/// non-ASCII); integers in decimal; Doubles as Swift prints them without a
/// trailing `.0`.
///
/// The caller writes an object's keys in sorted order, as JSONEncoder sorts
/// them on Linux: by their UTF-8 bytes (`"a-b" < "aB" < "a_b" < "ab"`).
/// Commas come by themselves: a value or key after another gets one.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether a value or key was written in the current object or array.
    private var afterElement = false

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Objects and arrays

    mutating func beginObject() {
        open(ASCII.openBrace)
    }

    mutating func endObject() {
        close(ASCII.closeBrace)
    }

    /// An array of `items`, each written by `write`.
    mutating func array<Item>(_ items: [Item], _ write: (Item, inout JSONWriter) -> Void) {
        open(ASCII.openBracket)
        for item in items { write(item, &self) }
        close(ASCII.closeBracket)
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        afterElement = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        afterElement = true
    }

    /// A key known to need no escaping (an ASCII CodingKey).
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(ASCII.quote)
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(ASCII.quote)
        bytes.append(ASCII.colon)
        afterElement = false
    }

    mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(ASCII.colon)
        afterElement = false
    }

    private mutating func separate() {
        if afterElement { bytes.append(ASCII.comma) }
        afterElement = true
    }

    // MARK: - Values

    mutating func string(_ text: String) {
        separate()
        appendQuoted(text)
    }

    mutating func integer(_ value: some BinaryInteger) {
        separate()
        let magnitude = UInt64(value.magnitude)
        if value < 0 { bytes.append(ASCII.minus) }
        appendDigits(magnitude)
    }

    /// JSON has no NaN or infinity: JSONEncoder refuses them, and they are written as null here.
    mutating func number(_ value: Double) {
        guard value.isFinite else { return null() }
        separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: Self.nullBytes)
    }

    // MARK: - Optional members, left out when nil (as `encodeIfPresent`)

    mutating func member(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    mutating func member(_ key: StaticString, _ value: (some BinaryInteger)?) {
        guard let value else { return }
        self.key(key)
        integer(value)
    }

    mutating func member(_ key: StaticString, _ value: (some JSONWritable)?) {
        guard let value else { return }
        self.key(key)
        value.write(to: &self)
    }

    mutating func member(_ key: StaticString, _ items: [some JSONWritable]?) {
        guard let items else { return }
        self.key(key)
        array(items) { item, writer in item.write(to: &writer) }
    }

    // MARK: - Bytes

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let nullBytes: [UInt8] = Array("null".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendDigits(_ value: UInt64) {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            rest /= 10
            count += 1
        }
        bytes.append(contentsOf: repeatElement(ASCII.zero, count: count))
        var position = bytes.count
        rest = value
        repeat {
            position -= 1
            bytes[position] = ASCII.zero + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(ASCII.quote)
        var text = text
        text.withUTF8 { utf8 in
            var clean = utf8.startIndex
            for position in utf8.indices {
                let byte = utf8[position]
                guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<position]))
                clean = position + 1
                appendEscape(byte)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(ASCII.quote)
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(ASCII.backslash)
        switch byte {
        case ASCII.quote, ASCII.backslash: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case ASCII.newline: bytes.append(UInt8(ascii: "n"))
        case ASCII.carriageReturn: bytes.append(UInt8(ascii: "r"))
        case ASCII.tab: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), ASCII.zero, ASCII.zero, Self.hexDigits[Int(byte >> 4)],
                                      Self.hexDigits[Int(byte & 0x0F)]])
        }
    }
}
