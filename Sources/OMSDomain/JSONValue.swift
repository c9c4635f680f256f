/// Any JSON document, kept as parsed, so that validation can report every
/// problem with its path instead of stopping at the first decoding error.
public enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses RFC 8259 JSON in UTF-8; nil when the bytes are not that, or
    /// nest deeper than 64. What it accepts, it reads as JSONDecoder does
    /// (duplicate keys: the first counts); `JSONReader` has the details.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        JSONReader.read(bytes) { $0.value() }
    }

    /// The value as JSON, byte for byte as JSONEncoder writes it with
    /// `[.sortedKeys, .withoutEscapingSlashes]`, Doubles as `Double`s and
    /// integers as `Int64`s (`JSONWriter`).
    public func encoded() -> [UInt8] {
        jsonBytes()
    }

    /// Whole numbers, also written as 1250.0 (as JSON Schema counts them).
    var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value.rounded() == value && abs(value) < 9.0e15: Int64(value)
        default: nil
        }
    }
}

extension JSONValue: JSONWritable {
    func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let value): writer.number(value)
        case .integer(let value): writer.integer(value)
        case .string(let value): writer.string(value)
        case .array(let items):
            writer.array(items) { item, writer in item.write(to: &writer) }
        case .object(let fields):
            writer.beginObject()
            for (key, value) in fields.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                writer.key(key)
                value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
