import Foundation
@testable import OMSDomain
import Testing

/// A seeded generator (SplitMix64), so a failing sample can be made again.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }

    mutating func pick<Element>(_ choices: [Element]) -> Element {
        choices.randomElement(using: &self)!
    }
}

/// Documents, values, orders and events that reach into every corner of the
/// JSON coders: escapes, non-ASCII, optional members present and absent.
enum JSONSamples {
    /// Texts with what JSON must escape, what it must not, and what Unicode normalisation would change.
    static let texts = [
        "", "Ada Lovelace", "Zoë Ångström", "Ærøskøbing", "東京都千代田区", "😀 gift 🎁", "e\u{301}", "é",
        "say \"hi\"", "back\\slash", "a/b//c", "line\nbreak", "tab\there", "cr\rlf", "\u{0}\u{1}\u{7}\u{8}\u{B}\u{C}",
        "\u{1F}\u{10}", "DEL\u{7F}", "\u{80}\u{9F}", "\u{2028}\u{2029}", "\u{FEFF}bom", "\u{FFFE}\u{FFFF}", "#100234",
        "<script>", "{\"json\": [1, 2]}", "K\u{212A}", "ﬀ", "ｆｕｌｌ", "\u{10FFFF}", String(repeating: "long ", count: 60),
    ]

    static func text(_ random: inout SeededGenerator) -> String {
        if random.chance(0.5) { return random.pick(texts) }
        let length = Int.random(in: 0...12, using: &random)
        return String(String.UnicodeScalarView((0..<length).map { _ in scalar(&random) }))
    }

    static func scalar(_ random: inout SeededGenerator) -> Unicode.Scalar {
        let ranges: [ClosedRange<UInt32>] = [0...0x1F, 0x20...0x7F, 0x20...0x7F, 0x20...0x7F, 0x80...0x7FF,
                                             0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        return Unicode.Scalar(UInt32.random(in: random.pick(ranges), using: &random))!
    }

    // MARK: - Orders and events

    static let dates: [Date] = [
        RFC3339.parse("2026-11-22T10:00:00Z")!, RFC3339.parse("2026-11-22T10:00:00.5+01:00")!,
        RFC3339.parse("2024-02-29T23:59:59.999Z")!, RFC3339.parse("1970-01-01T00:00:00Z")!,
        RFC3339.parse("9999-12-31T23:59:59.999Z")!, RFC3339.parse("2001-01-01T00:00:00.001Z")!,
        Date(timeIntervalSince1970: 1_795_341_600.123_456_7), Date(timeIntervalSinceReferenceDate: 0.999_999_9),
    ]

    static func date(_ random: inout SeededGenerator) -> Date {
        if random.chance(0.3) { return random.pick(dates) }
        let seconds = Double(Int.random(in: 0...4_102_444_800, using: &random))
        let fraction = random.chance(0.5) ? Double(Int.random(in: 0...999, using: &random)) / 1000
            : Double.random(in: 0..<1, using: &random)
        return Date(timeIntervalSince1970: seconds + fraction)
    }

    static func optional<Value>(_ random: inout SeededGenerator, _ make: (inout SeededGenerator) -> Value) -> Value? {
        random.chance(0.5) ? make(&random) : nil
    }

    static func integer(_ random: inout SeededGenerator) -> Int {
        random.chance(0.1) ? random.pick([0, 1, -1, Int.max, Int.min]) : Int.random(in: 0...100_000, using: &random)
    }

    static func order(_ random: inout SeededGenerator) -> Order {
        let prepaid = random.chance(0.3)
        let lines = (0..<Int.random(in: 1...4, using: &random)).map { _ in
            OrderLine(sku: text(&random), quantity: integer(&random),
                      unitPrice: random.chance(0.1) ? random.pick([Int64.max, Int64.min]) : Int64(integer(&random)),
                      name: optional(&random, text), weightGrams: optional(&random, integer),
                      hsCode: optional(&random, text), originCountry: optional(&random, text))
        }
        return Order(
            id: text(&random), channel: text(&random), externalID: optional(&random, text),
            placedAt: date(&random), currency: Currency(code: random.pick(Currency.all.sorted()))!,
            customer: Order.Customer(name: text(&random), email: text(&random), phone: optional(&random, text)),
            shippingAddress: Order.Address(line1: text(&random), line2: optional(&random, text), city: text(&random),
                                           region: optional(&random, text), postalCode: optional(&random, text),
                                           country: text(&random)),
            lines: lines, shipping: Order.Shipping(service: random.pick(Order.Shipping.Service.allCases)),
            payment: Order.Payment(method: prepaid ? .prepaid : .card, token: prepaid ? nil : text(&random)),
            tags: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) })
    }

    static func eventData(_ random: inout SeededGenerator) -> OrderEventData {
        let order = order(&random)
        var data = OrderEventData(orderID: order.id, status: random.pick(OrderStatus.allCases),
                                  version: integer(&random), channel: order.channel,
                                  previousStatus: random.chance(0.5) ? random.pick(OrderStatus.allCases) : nil)
        if random.chance(0.6) { data.describe(order) }
        if random.chance(0.5) { data.order = order }
        data.reason = optional(&random, text)
        data.trackingNumber = optional(&random, text)
        data.carrier = optional(&random, text)
        data.returnAuthorization = optional(&random, text)
        data.refundAmount = optional(&random) { Int64(integer(&$0)) }
        data.refundBy = optional(&random, text)
        data.estimatedDelivery = optional(&random, text)
        data.parcels = optional(&random) { random in
            (1...Int.random(in: 1...3, using: &random)).map { _ in shippedParcel(&random) }
        }
        return data
    }

    static func shippedParcel(_ random: inout SeededGenerator) -> ShippedParcel {
        ShippedParcel(number: integer(&random), location: text(&random),
                      lines: [OrderEventData.EventLine(sku: text(&random), quantity: integer(&random),
                                                       name: optional(&random, text))],
                      carrier: text(&random), trackingNumber: text(&random),
                      estimatedDelivery: optional(&random, text))
    }

    static func handoff(_ random: inout SeededGenerator) -> Handoff {
        let returnLines = optional(&random) { random in
            (0..<Int.random(in: 0...3, using: &random)).map { _ in
                OrderReturn.Line(sku: text(&random), quantity: integer(&random),
                                 condition: random.pick(OrderReturn.Line.Condition.allCases))
            }
        }
        return Handoff(action: random.pick(Handoff.Action.allCases), order: order(&random),
                       reason: optional(&random, text), amount: optional(&random) { Int64(integer(&$0)) },
                       returnLines: returnLines)
    }

    // MARK: - JSON values and texts

    static let keys = ["a_b", "aB", "ab", "a-b", "A", "a10", "a9", "", "é", "e\u{301}", "z", "😀", "ｆ", "Z", "_", "-"]

    static func double(_ random: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return random.pick([0.1, 1.5, -2.25, 1e20, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 123456789.125, 0.3])
        case 1: return Double.random(in: -1e6...1e6, using: &random)
        case 2:
            let any = Double(bitPattern: random.next())
            return any.isFinite ? any : 0.5
        default: return Double(Int.random(in: -1000...1000, using: &random)) / 8
        }
    }

    /// A value made in memory (numbers as they come, not as a parser would read them).
    static func value(_ random: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth < 5 ? 8 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2: return .integer(random.chance(0.2) ? random.pick([Int64.max, Int64.min, 0]) : Int64.random(in: -1_000_000...1_000_000, using: &random))
        case 3: return .number(double(&random))
        case 4, 5: return .string(text(&random))
        case 6: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(&random, depth: depth + 1) })
        default:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                fields[random.chance(0.5) ? random.pick(keys) : text(&random)] = value(&random, depth: depth + 1)
            }
            return .object(fields)
        }
    }

    /// Numbers as they may be written, each read alike by JSONParser and JSONDecoder.
    static let numbers = [
        "0", "-0", "1", "-1", "12", "1250", "10000", "-0.0", "0.0", "1.0", "1.5", "-1.5", "0.1", "0.30000000000000004",
        "1e2", "1E2", "1e+2", "1E-2", "1.25e3", "0.5e1", "1.0e-0", "100e-2", "1e-400", "-1e-400", "4.9e-324",
        "2.5e-324", "1.7976931348623157e308", "1e308", "123456789012345678", "9007199254740992", "9007199254740993",
        "9007199254740993.0", "9007199254740992.0", "9.007199254740993e15", "1e18", "1e19", "1.5e18",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "9223372036854775807.0", "9223372036854775295.0", "-9223372036854775807.0", "-9223372036854775808.0",
        "12345678901234567890", "123456789012345678901234567890", "0.000000000000000000000000000001",
        "1.0000000000000001", "3.141592653589793238462643383279", "1e22", "1e23", "8.98846567431158e307",
        "0.1234567890123456789", "100000000000000000000000.0", "-1e-7", "1e0000", "1e00002",
    ]

    /// A JSON text written as a person or another library might: spacing, escapes, number forms.
    static func document(_ random: inout SeededGenerator, depth: Int = 0) -> String {
        let space = { (random: inout SeededGenerator) in random.chance(0.7) ? "" : random.pick([" ", "\n", "\t", "\r\n", "  "]) }
        switch Int.random(in: 0..<(depth < 5 ? 8 : 6), using: &random) {
        case 0: return random.pick(["true", "false", "null"])
        case 1, 2: return random.pick(numbers)
        case 3, 4, 5: return quoted(&random)
        case 6:
            let items = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                space(&random) + document(&random, depth: depth + 1) + space(&random)
            }
            return "[" + items.joined(separator: ",") + space(&random) + "]"
        default:
            let members = (0..<Int.random(in: 0...5, using: &random)).map { _ in
                let key = random.chance(0.6) ? "\"\(random.pick(keys))\"" : quoted(&random)
                return space(&random) + key + space(&random) + ":" + space(&random) + document(&random, depth: depth + 1)
            }
            return "{" + members.joined(separator: ",") + space(&random) + "}"
        }
    }

    /// A string literal with raw and escaped characters, surrogate pairs included.
    static func quoted(_ random: inout SeededGenerator) -> String {
        var literal = "\""
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            let scalar = scalar(&random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                literal += random.pick(["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u00E9",
                                        "\\ud83d\\ude00", "\\uD834\\uDD1E", "\\u0000", "\\u001f", "\\u2028"])
            case 1:
                literal += String(format: "\\u%04x", scalar.value < 0x10000 ? scalar.value : 0x41)
            default:
                if scalar.value < 0x20 {
                    literal += String(format: "\\u%04X", scalar.value)
                } else if scalar == "\"" || scalar == "\\" {
                    literal += "\\" + String(scalar)
                } else {
                    literal.unicodeScalars.append(scalar)
                }
            }
        }
        return literal + "\""
    }

    /// Every example under schemas/examples, read from the checkout.
    static func schemaExamples() throws -> [(name: String, bytes: [UInt8])] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas/examples")
        let paths = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return try paths.filter { $0.hasSuffix(".json") }.sorted().map { path in
            (path, Array(try Data(contentsOf: root.appendingPathComponent(path))))
        }
    }
}

/// JSONValue through JSONEncoder: integers as Int64, numbers as Double.
struct EncodableJSON: Encodable {
    let value: JSONValue

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items.map(EncodableJSON.init))
        case .object(let fields): try container.encode(fields.mapValues(EncodableJSON.init))
        }
    }
}

/// Byte-for-byte equality of two JSON texts, reported as the text around the first difference.
func expectSameBytes(_ written: [UInt8], _ expected: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    guard written != expected else { return }
    let offset = zip(written, expected).prefix { $0 == $1 }.count
    func around(_ bytes: [UInt8]) -> String {
        String(decoding: bytes[max(0, offset - 40)..<min(bytes.count, offset + 40)], as: UTF8.self).debugDescription
    }
    Issue.record("differs at byte \(offset): \(around(written)) instead of \(around(expected))",
                 sourceLocation: sourceLocation)
}
