import Foundation

/// The one JSON form of an order that oms stores and hands between stages:
/// keys sorted, times RFC 3339 in UTC. Equal orders encode to equal bytes, so
/// the bytes' hash tells a duplicate from a conflict.
///
/// Orders, hand-offs and status events are written and read without
/// JSONEncoder and JSONDecoder, which took a sixth of the workers' CPU: they
/// write their own bytes (`JSONWritable`), the very bytes JSONEncoder wrote
/// with the options below, and read themselves member by member
/// (`JSONReader`). A document the fast reader does not take goes to
/// JSONDecoder, so what is accepted and what an error says stay as they were.
public enum OrderCoding {
    public static func encode(_ order: Order) -> [UInt8] {
        order.jsonBytes()
    }

    public static func decode(_ bytes: [UInt8]) throws -> Order {
        try decode(bytes) { Order(reader: &$0) }
    }

    /// What `read` makes of the bytes or, where it gives nil, JSONDecoder's
    /// value or error: the fast readers leave to JSONDecoder whatever they
    /// are not sure of.
    static func decode<Value: Decodable>(_ bytes: [UInt8], fast read: (inout JSONReader) -> Value?) throws -> Value {
        if let value = JSONReader.read(bytes, read) { return value }
        return try decodeValue(Value.self, from: bytes)
    }

    static func encodeValue<Value: Encodable>(_ value: Value) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return Array((try? encoder.encode(value)) ?? Data())
    }

    static func decodeValue<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "must be an RFC 3339 date-time such as 2026-11-22T10:00:00Z"))
            }
            return date
        }
        return try decoder.decode(type, from: Data(bytes))
    }

    /// FNV-1a, 64 bits, as 16 hex digits: tells documents apart, not a secret.
    public static func contentHash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
