import Foundation
@testable import OMSDomain
import Testing

/// `JSONValue.encoded()` against JSONEncoder with `[.sortedKeys,
/// .withoutEscapingSlashes]`, the options `OrderCoding` has always used:
/// the same bytes.
@Suite("JSON writer")
struct JSONWriterTests {
    /// Bytes, not Strings: String equality would take "é" for "e\u{301}".
    static func foundation(_ value: JSONValue) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(EncodableJSON(value: value)))
    }

    static func expectSame(_ value: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws {
        expectSameBytes(value.encoded(), try foundation(value), sourceLocation: sourceLocation)
    }

    @Test("keys sort by their UTF-8 bytes, as JSONEncoder sorts them on Linux")
    func keyOrder() throws {
        let fields = JSONSamples.keys.enumerated().map { index, key in (key, JSONValue.integer(Int64(index))) }
        let value = JSONValue.object(Dictionary(fields) { first, _ in first })
        try Self.expectSame(value)
        let keys: JSONValue = .object(["a_b": .null, "aB": .null, "ab": .null, "a-b": .null, "a10": .null, "a9": .null])
        expectSameBytes(keys.encoded(), Array(#"{"a-b":null,"a10":null,"a9":null,"aB":null,"a_b":null,"ab":null}"#.utf8))
    }

    @Test("strings escape quote, backslash and control characters, and nothing else")
    func escaping() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        let value = JSONValue.string(controls + "\"\\/\u{7F}é😀\u{2028}")
        try Self.expectSame(value)
        expectSameBytes(value.encoded(), Array((#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + "\\\"\\\\/\u{7F}é😀\u{2028}\"").utf8))
        for text in JSONSamples.texts {
            try Self.expectSame(.string(text))
        }
    }

    @Test("numbers as JSONEncoder writes Int64 and Double")
    func numbers() throws {
        let doubles = [0.0, -0.0, 1.0, -1.0, 0.1, 1.5, 1e15, 1e16, 1e20, 1e21, 1e-7, 5e-324, 1.7976931348623157e308,
                       123456789012345678.0, 1.0 / 3.0]
        let integers: [Int64] = [0, 1, -1, 9, 10, 99, 100, 1250, Int64.max, Int64.min, -1_000_000]
        let value = JSONValue.array(doubles.map(JSONValue.number) + integers.map(JSONValue.integer))
        try Self.expectSame(value)
        expectSameBytes(JSONValue.array([.number(1.0), .number(1e20), .integer(-42)]).encoded(), Array("[1,1e+20,-42]".utf8))
    }

    @Test("generated values write as with JSONEncoder")
    func generated() throws {
        var random = SeededGenerator(seed: 2026)
        for _ in 0..<2000 {
            let value = JSONSamples.value(&random)
            try Self.expectSame(value)
        }
    }

    @Test("every schema example writes as with JSONEncoder and reads back as it was")
    func schemaExamples() throws {
        for (name, bytes) in try JSONSamples.schemaExamples() {
            let value = try #require(JSONValue.parse(bytes), "\(name)")
            try Self.expectSame(value)
            #expect(JSONValue.parse(value.encoded()) == value, "\(name)")
        }
    }

    @Test("NaN and infinity, which JSON cannot carry, are written as null")
    func nonFinite() {
        expectSameBytes(JSONValue.array([.number(.nan), .number(.infinity), .number(-.infinity)]).encoded(),
                        Array("[null,null,null]".utf8))
    }
}
