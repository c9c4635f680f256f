import Foundation
@testable import OMSDomain
import Testing

/// The fast coders of orders, hand-offs and status events against the
/// JSONEncoder and JSONDecoder they replace (`OrderCoding.encodeValue` and
/// `decodeValue`, unchanged): the same bytes, the same values, the same errors.
/// The bytes must not change: a stored order's content hash tells a
/// duplicate from a conflict across versions.
@Suite("Order, hand-off and event JSON")
struct OrderJSONTests {
    /// A value or the error's text, to compare two decoders' outcomes.
    enum Outcome<Value: Equatable>: Equatable {
        case value(Value)
        case error(String)

        init(_ body: () throws -> Value) {
            do {
                self = .value(try body())
            } catch {
                self = .error("\(error)")
            }
        }
    }

    static func orders(count: Int, seed: UInt64) -> [Order] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in JSONSamples.order(&random) }
    }

    /// The same document written otherwise: pretty, unsorted, optional
    /// members as null, members oms does not know, every key twice (the
    /// first counts), keys escaped; and whether the fast reader takes it
    /// itself (escaped keys it leaves to JSONDecoder).
    static func variants(_ bytes: [UInt8]) throws -> [(bytes: [UInt8], fast: Bool)] {
        let json = try #require(JSONValue.parse(bytes))
        let pretty = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: Data(bytes)),
                                                options: [.prettyPrinted])
        return [(bytes, true), (Array(pretty), true), (extended(json).encoded(), true),
                (Array(text(json, duplicated: true).utf8), true),
                (Array(text(json, key: { "\"" + $0.utf16.map { String(format: "\\u%04x", $0) }.joined() + "\"" }).utf8),
                 false)]
    }

    /// JSON text with keys written by `key`, and each key again after the others when `duplicated`.
    static func text(_ value: JSONValue, duplicated: Bool = false,
                     key: (String) -> String = { String(decoding: JSONValue.string($0).encoded(), as: UTF8.self) })
        -> String {
        switch value {
        case .array(let items):
            return "[" + items.map { text($0, duplicated: duplicated, key: key) }.joined(separator: ",") + "]"
        case .object(let fields):
            var members = fields.map { key($0) + ":" + text($1, duplicated: duplicated, key: key) }
            if duplicated { members += fields.keys.map { key($0) + #":["second"]"# } }
            return "{" + members.joined(separator: ",") + "}"
        default:
            return String(decoding: value.encoded(), as: UTF8.self)
        }
    }

    /// Every object with an unknown member and nulls for the optional members it leaves out.
    static func extended(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(extended))
        case .object(let members):
            var fields = members.mapValues(extended)
            for key in ["external_id", "phone", "line2", "region", "postal_code", "token", "name", "weight_grams",
                        "hs_code", "origin_country", "reason", "amount", "return_lines", "traceparent", "carrier"]
            where fields[key] == nil {
                fields[key] = .null
            }
            fields["x-unknown"] = .array([.integer(1), .object(["deep": .string("ignored")])])
            return .object(fields)
        default: return value
        }
    }

    // MARK: - Orders

    @Test("orders encode to the bytes JSONEncoder wrote, optional fields present and absent")
    func encodeOrders() {
        for order in Self.orders(count: 3000, seed: 1) {
            expectSameBytes(OrderCoding.encode(order), OrderCoding.encodeValue(order))
        }
    }

    @Test("orders decode to what JSONDecoder gives, however the document is written")
    func decodeOrders() throws {
        for order in Self.orders(count: 500, seed: 2) {
            for (bytes, fast) in try Self.variants(OrderCoding.encodeValue(order)) {
                let expected = try OrderCoding.decodeValue(Order.self, from: bytes)
                // The fast path itself takes the document: nothing falls back to JSONDecoder.
                #expect(JSONReader.read(bytes) { Order(reader: &$0) } == (fast ? expected : nil))
                #expect(try OrderCoding.decode(bytes) == expected)
            }
        }
    }

    @Test("an order comes back equal, its time in whole seconds")
    func roundTrip() throws {
        var random = SeededGenerator(seed: 3)
        for _ in 0..<500 {
            var order = JSONSamples.order(&random)
            order.placedAt = Date(timeIntervalSinceReferenceDate: Double(Int.random(in: -978_307_200...3_124_137_600,
                                                                                    using: &random)))
            #expect(try OrderCoding.decode(OrderCoding.encode(order)) == order)
        }
    }

    @Test("valid order.place examples encode and read back as before")
    func placeExamples() throws {
        for (name, bytes) in try JSONSamples.schemaExamples() where name.hasPrefix("order.place/valid-") {
            guard case .place(let order) = try IntakeMessage.decode(routingKey: "order.place", body: bytes) else {
                Issue.record("\(name) is not an order.place")
                continue
            }
            let bytes = OrderCoding.encode(order)
            expectSameBytes(bytes, OrderCoding.encodeValue(order))
            // Not always `order` itself: a time with an offset and a fraction may come back a bit apart.
            #expect(try OrderCoding.decode(bytes) == OrderCoding.decodeValue(Order.self, from: bytes), "\(name)")
        }
    }

    static let brokenOrders: [String] = [
        "", "[]", "null", #"{"id":"x"}"#, "[1,]", #"{"a":1,}"#,
        #"{"id":1}"#, #"{"id":"x","channel":"web","placed_at":"2026-11-22T10:00:00","currency":"USD"}"#,
        #"{"id":"x","channel":"web","placed_at":"2026-11-22T10:00:00Z","currency":"XXX"}"#,
    ]

    /// Changes to a valid order's members that the fast reader leaves to JSONDecoder.
    static let brokenMembers: [(String, JSONValue?)] = [
        ("id", nil), ("id", .null), ("id", .integer(1)), ("tags", nil), ("tags", .null), ("tags", .array([.null])),
        ("placed_at", .string("2026-02-30T10:00:00Z")), ("placed_at", .string("yesterday")),
        ("placed_at", .integer(0)), ("currency", .string("usd")), ("currency", .null),
        ("shipping", .object(["service": .string("drone")])), ("shipping", .object([:])),
        ("payment", .object(["method": .string("cash")])), ("payment", .object(["method": .string("card"), "token": .integer(5)])),
        ("lines", .array([.object(["sku": .string("A"), "quantity": .number(1.5), "unit_price": .integer(1)])])),
        ("lines", .array([.object(["sku": .string("A"), "quantity": .string("2"), "unit_price": .integer(1)])])),
        ("lines", .array([.object(["sku": .string("A"), "quantity": .integer(1), "unit_price": .number(1e19)])])),
        ("lines", .array([.object(["sku": .string("A"), "quantity": .integer(1)])])),
        ("lines", .array([.object(["sku": .string("A"), "quantity": .number(2), "unit_price": .number(1250)])])),
        ("lines", .object([:])), ("customer", .object(["name": .string("A")])), ("external_id", .bool(true)),
        ("shipping_address", .string("London")),
    ]

    @Test("what the fast reader does not take gets JSONDecoder's value or error, as before")
    func brokenDocuments() throws {
        let valid = try #require(JSONValue.parse(OrderCoding.encode(Self.orders(count: 1, seed: 4)[0])))
        guard case .object(let fields) = valid else { return }
        var documents = Self.brokenOrders.map { Array($0.utf8) }
        for (key, value) in Self.brokenMembers {
            var changed = fields
            changed[key] = value
            documents.append(JSONValue.object(changed).encoded())
        }
        // Nested deeper than the fast parser goes (JSONDecoder goes to 512), and with a trailing comma.
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let text = String(decoding: valid.encoded(), as: UTF8.self)
        documents.append(Array((text.dropLast() + #","x":\#(deep)}"#).utf8))
        documents.append(Array((text.dropLast() + ",}").utf8))
        for bytes in documents {
            let fast = Outcome { try OrderCoding.decode(bytes) }
            #expect(fast == Outcome { try OrderCoding.decodeValue(Order.self, from: bytes) },
                    "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    // MARK: - Hand-offs

    @Test("hand-offs encode to the bytes JSONEncoder wrote and decode as JSONDecoder did")
    func handoffs() throws {
        var random = SeededGenerator(seed: 5)
        for _ in 0..<1000 {
            let handoff = JSONSamples.handoff(&random)
            expectSameBytes(handoff.encoded(), OrderCoding.encodeValue(handoff))
            for (bytes, fast) in try Self.variants(OrderCoding.encodeValue(handoff)) {
                let expected = try OrderCoding.decodeValue(Handoff.self, from: bytes)
                #expect(JSONReader.read(bytes) { Handoff(reader: &$0) } == (fast ? expected : nil))
                #expect(try Handoff.decode(bytes) == expected)
            }
        }
        for broken in [#"{"action":"fly"}"#, #"{"action":"pick"}"#, #"{"action":"refund","order":{},"amount":1}"#] {
            let bytes = Array(broken.utf8)
            #expect(Outcome { try Handoff.decode(bytes) } == Outcome { try OrderCoding.decodeValue(Handoff.self, from: bytes) })
        }
    }

    // MARK: - Status events

    /// What an `OrderEvent` holds, to compare (it is not Equatable).
    struct EventContent: Equatable {
        var id: String
        var type: String
        var data: OrderEventData

        init(_ event: OrderEvent) {
            (id, type, data) = (event.id, event.type, event.data)
        }
    }

    @Test("status events encode to the bytes JSONEncoder wrote and decode as JSONDecoder did")
    func statusEvents() throws {
        var random = SeededGenerator(seed: 6)
        for _ in 0..<1000 {
            let data = JSONSamples.eventData(&random)
            let event = StatusEvent.order(data, stage: JSONSamples.text(&random), time: JSONSamples.date(&random),
                                          traceparent: JSONSamples.optional(&random, JSONSamples.text))
            let bytes = event.encoded()
            expectSameBytes(bytes, OrderCoding.encodeValue(event))
            for (variant, fast) in try Self.variants(bytes) {
                let expected = EventContent(try OrderCoding.decodeValue(OrderEvent.self, from: variant))
                #expect(JSONReader.read(variant) { OrderEvent(reader: &$0) }.map(EventContent.init) == (fast ? expected : nil))
                #expect(EventContent(try OrderEvent.decode(variant)) == expected)
            }
        }
    }

    @Test("refund.owed, stock.low and shipment.shipped events encode to the bytes JSONEncoder wrote")
    func otherEvents() throws {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let time = JSONSamples.date(&random)
            let refund = StatusEvent.refundOwed(
                RefundOwedData(orderID: JSONSamples.text(&random), channel: JSONSamples.text(&random),
                               externalID: JSONSamples.optional(&random, JSONSamples.text),
                               amount: Money(minorUnits: Int64(JSONSamples.integer(&random)), currency: Currency(code: "EUR")!)),
                stage: "payment", time: time, traceparent: JSONSamples.optional(&random, JSONSamples.text))
            expectSameBytes(refund.encoded(), OrderCoding.encodeValue(refund))
            let stock = StatusEvent.stockLow(
                StockLowData(sku: JSONSamples.text(&random), available: JSONSamples.integer(&random),
                             reorderPoint: JSONSamples.integer(&random)),
                stage: "capture", time: time, traceparent: nil)
            expectSameBytes(stock.encoded(), OrderCoding.encodeValue(stock))
            let parcel = StatusEvent.shipmentShipped(
                ShipmentShippedData(order: JSONSamples.order(&random), parcelCount: JSONSamples.integer(&random),
                                    parcel: JSONSamples.shippedParcel(&random)),
                stage: "ship", time: time, traceparent: nil)
            expectSameBytes(parcel.encoded(), OrderCoding.encodeValue(parcel))
        }
    }

    @Test("a payload oms does not know still goes through JSONEncoder")
    func foreignPayload() {
        struct Note: Encodable, Sendable { var text = "a/b" }
        let event = StatusEvent(id: "n", stage: "test", type: "note", time: JSONSamples.dates[0], subject: "s",
                                traceparent: nil, data: Note())
        expectSameBytes(event.encoded(), OrderCoding.encodeValue(event))
    }

    @Test("event examples decode as JSONDecoder decodes them, hand-offs included")
    func eventExamples() throws {
        for (name, bytes) in try JSONSamples.schemaExamples() where name.hasPrefix("event/") {
            #expect(Outcome { EventContent(try OrderEvent.decode(bytes)) }
                    == Outcome { EventContent(try OrderCoding.decodeValue(OrderEvent.self, from: bytes)) }, "\(name)")
            guard case .object(let fields)? = JSONValue.parse(bytes), case .string(let type)? = fields["type"] else {
                continue
            }
            let handoff = Outcome { try Handoff.decode(routingKey: type, body: bytes) }
            let expected = Outcome { () throws -> Handoff in
                guard let action = Handoff.Action.allCases.first(where: { $0.handingOverStatus?.eventType == type })
                else { return try OrderCoding.decodeValue(Handoff.self, from: bytes) }
                let event = try OrderCoding.decodeValue(OrderEvent.self, from: bytes)
                guard let order = event.data.order else { throw HandoffError.eventWithoutOrder(type) }
                return Handoff(action: action, order: order)
            }
            #expect(handoff == expected, "\(name)")
        }
    }

    // MARK: - Keeping up with the types

    @Test("the fast coders know every stored property (a new one must be added to them)")
    func storedProperties() {
        var random = SeededGenerator(seed: 9)
        let order = JSONSamples.order(&random)
        let data = JSONSamples.eventData(&random)
        func count(_ value: Any) -> Int { Mirror(reflecting: value).children.count }
        #expect(count(order) == 11)
        #expect(count(order.customer) == 3)
        #expect(count(order.shippingAddress) == 6)
        #expect(count(order.lines[0]) == 7)
        #expect(count(order.shipping) == 1)
        #expect(count(order.payment) == 2)
        #expect(count(JSONSamples.handoff(&random)) == 5)
        #expect(count(OrderReturn.Line(sku: "A", quantity: 1, condition: .sellable)) == 3)
        #expect(count(data) == 18)
        #expect(count(OrderEventData.EventCustomer(name: "A", email: "a@example.com")) == 2)
        #expect(count(OrderEventData.EventLine(sku: "A", quantity: 1, name: nil)) == 3)
        #expect(count(StatusEvent.order(data, stage: "s", time: Date(), traceparent: nil)) == 9)
        #expect(count(RefundOwedData(orderID: "o", channel: "c", externalID: nil,
                                     amount: Money(minorUnits: 1, currency: Currency(code: "USD")!))) == 5)
        #expect(count(StockLowData(sku: "A", available: 1, reorderPoint: 2)) == 3)
        let parcel = JSONSamples.shippedParcel(&random)
        #expect(count(parcel) == 6)
        #expect(count(ShipmentShippedData(order: order, parcelCount: 1, parcel: parcel)) == 5)
    }
}
