import Foundation
@testable import OMSDomain
import Testing

/// `JSONValue.parse` against JSONDecoder (through `JSONValue`'s Decodable
/// conformance, what parse used before): the same values for every valid
/// document, refusals where RFC 8259 refuses.
@Suite("JSON parser")
struct JSONParserTests {
    static func foundation(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    static func parse(_ text: String) -> JSONValue? {
        JSONValue.parse(Array(text.utf8))
    }

    /// Equal values, and equal to the byte: String equality would take "é" for "e\u{301}".
    static func expectSameValue(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let parsed = JSONValue.parse(bytes)
        let expected = foundation(bytes)
        #expect(parsed != nil, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(parsed == expected, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        expectSameBytes(parsed?.encoded() ?? [], expected?.encoded() ?? [], sourceLocation: sourceLocation)
    }

    @Test("every example under schemas/examples reads as with JSONDecoder")
    func schemaExamples() throws {
        let examples = try JSONSamples.schemaExamples()
        #expect(examples.count >= 140)
        for (_, bytes) in examples {
            Self.expectSameValue(bytes)
        }
    }

    @Test("generated documents read as with JSONDecoder: spacing, escapes, numbers, nesting")
    func generatedDocuments() {
        var random = SeededGenerator(seed: 14)
        for _ in 0..<3000 {
            Self.expectSameValue(Array(JSONSamples.document(&random).utf8))
        }
    }

    @Test("documents JSONEncoder wrote read back as the value written")
    func roundTrip() throws {
        var random = SeededGenerator(seed: 8259)
        for _ in 0..<1000 {
            let value = JSONSamples.value(&random)
            Self.expectSameValue(Array(try JSONEncoder().encode(EncodableJSON(value: value))))
        }
    }

    @Test("numbers are integers exactly where JSONDecoder decodes an Int64", arguments: JSONSamples.numbers)
    func numbers(text: String) {
        Self.expectSameValue(Array(text.utf8))
    }

    @Test("a number from 2^53 up with a fraction stays a Double; JSONDecoder drops the fraction")
    func largeFraction() {
        #expect(Self.parse("9007199254740993.5") == .number(9_007_199_254_740_994))
        #expect(Self.foundation(Array("9007199254740993.5".utf8)) == .integer(9_007_199_254_740_993))
        #expect(Self.parse("-1.5e17") == .integer(-150_000_000_000_000_000))
    }

    @Test("escapes, surrogate pairs and raw UTF-8 become the characters they stand for")
    func escapes() {
        #expect(Self.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(Self.parse(#""\u00e9\u00C9\ud83d\ude00\u0000""#) == .string("éÉ😀\u{0}"))
        #expect(Self.parse("\"Zoë 東京 😀\u{7F}\"") == .string("Zoë 東京 😀\u{7F}"))
        #expect(Self.parse(#"{"a\u0062":"\u2028"}"#) == .object(["ab": .string("\u{2028}")]))
    }

    @Test("of duplicate keys the first counts, key and value, as with JSONDecoder on Linux")
    func duplicateKeys() throws {
        for text in [#"{"a":1,"a":2}"#, #"{"a":{"x":1},"b":0,"a":[2]}"#, #"{"a":null,"a":1}"#,
                     #"{"e\u0301":1,"\u00e9":2}"#, #"{"\u00e9":1,"e\u0301":2}"#] {
            Self.expectSameValue(Array(text.utf8))
        }
        #expect(Self.parse(#"{"a":1,"a":2}"#) == .object(["a": .integer(1)]))
        // Canonically equivalent keys are one Swift string: the first spelling stays.
        guard case .object(let fields)? = Self.parse(#"{"e\u0301":1,"\u00e9":2}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(fields.count == 1)
        #expect(Array(try #require(fields.keys.first).utf8) == Array("e\u{301}".utf8))
        #expect(fields.values.first == .integer(1))
    }

    @Test("a leading UTF-8 byte order mark is skipped, as JSONDecoder skips it")
    func byteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)
        #expect(JSONValue.parse(bytes) == .array([.integer(1)]))
        Self.expectSameValue(bytes)
    }

    static let refused: [String] = [
        "", " ", "[1] x", "[1]]", "{} {}", "01", "-01", "00", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN",
        "Infinity", "-Infinity", "1e400", "-1e400", "tru", "truex", "True", "nul", "nulll", "[", "]", "{", "{\"a\"}",
        "{\"a\" 1}", "{\"a\":}", "{1:1}", "{a:1}", "[1 2]", "{\"a\":1 \"b\":2}", "[,1]", "[1,,2]", "'a'", "\"abc",
        "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\\uD800x\"",
        "\"\\uD800\\\"", "\"\u{1}\"", "\"a\tb\"", "\"a\nb\"", "\"\u{1F}\"", "[1]\u{0}", "\u{A0}[1]", "\u{B}[1]",
        "/* c */ 1", "// c\n1", "[1,]", "{\"a\":1,}", "[1,]  ", "\"\\",
    ]

    @Test("what RFC 8259 refuses is refused", arguments: refused)
    func refusesText(text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test("invalid UTF-8 is refused, raw or between escapes", arguments: [
        [0xFF], [0xC0, 0x80], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        [0x5C, 0x6E, 0xFF], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ] as [[UInt8]])
    func refusesInvalidUTF8(content: [UInt8]) {
        let bytes = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
        #expect(JSONValue.parse(bytes) == nil)
        #expect(Self.foundation(bytes) == nil)
        #expect(JSONValue.parse(Array("{\"a\":".utf8) + bytes + [UInt8(ascii: "}")]) == nil)
    }

    @Test("trailing commas, which JSONDecoder lets through, are refused")
    func trailingCommas() {
        for text in ["[1,]", "{\"a\":1,}"] {
            #expect(Self.parse(text) == nil)
            #expect(Self.foundation(Array(text.utf8)) != nil)
        }
    }

    @Test("nesting is limited to 64 levels, so hostile input cannot exhaust the stack")
    func depth() {
        func arrays(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        func objects(_ depth: Int) -> String {
            String(repeating: "{\"a\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        }
        #expect(Self.parse(arrays(64)) != nil)
        #expect(Self.parse(arrays(65)) == nil)
        #expect(Self.parse(objects(64)) != nil)
        #expect(Self.parse(objects(65)) == nil)
        #expect(Self.parse(String(repeating: "[", count: 1_000_000)) == nil)
        #expect(Self.parse(String(repeating: "[{\"a\":", count: 100_000)) == nil)
    }
}
