import OMSDomain
import RedisClient
import Testing
@testable import OMSStore

@Suite("script replies")
struct ScriptReplyTests {
    static func text(_ value: String) -> RedisReply { .string(Array(value.utf8)) }

    @Test("transition replies: applied, already, refused, missing")
    func transition() throws {
        #expect(try Transition(reply: .array([Self.text("applied"), Self.text("paid"), .integer(4)]))
            == .applied(from: .paid, version: 4))
        #expect(try Transition(reply: .array([Self.text("already"), .integer(4)])) == .already(version: 4))
        #expect(try Transition(reply: .array([Self.text("refused"), Self.text("shipped"), .integer(6)]))
            == .refused(current: .shipped, version: 6))
        #expect(try Transition(reply: .array([Self.text("missing")])) == .missing)
    }

    @Test("create replies: created, duplicate, conflict")
    func creation() throws {
        #expect(try Creation(reply: .array([Self.text("created")])) == .created)
        #expect(try Creation(reply: .array([Self.text("duplicate"), Self.text("confirmed"), .integer(2)]))
            == .duplicate(status: .confirmed, version: 2))
        #expect(try Creation(reply: .array([Self.text("conflict"), Self.text("received"), .integer(1)]))
            == .conflict(status: .received, version: 1))
    }

    @Test("a reply of another shape is an unexpected reply that shows no stored bytes", arguments: [
        RedisReply.array([.string(Array("applied".utf8)), .string(Array("sold".utf8)), .integer(4)]),
        RedisReply.array([.string(Array("already".utf8))]),
        RedisReply.integer(1),
        RedisReply.string(Array("ada@example.com".utf8)),
    ])
    func unexpected(reply: RedisReply) {
        let error = #expect(throws: StoreError.self) { try Transition(reply: reply) }
        #expect(error?.kind == .unexpectedReply)
        #expect(error?.description.contains("ada@") == false)
    }

    @Test("an error reply is a server error carrying the server's text")
    func serverError() {
        let error = #expect(throws: StoreError.self) {
            try LineReservation(reply: .error("ERR reserve: the quantity must be a positive integer"))
        }
        #expect(error?.kind == .server)
        #expect(error?.description == "reserve failed: ERR reserve: the quantity must be a positive integer")
    }

    @Test("a reserve reply: reorder point nil when the SKU has none")
    func reserve() throws {
        let crossed = try LineReservation(
            reply: .array([.integer(1), .integer(1), .integer(4), .integer(1), .integer(5)]))
        #expect(crossed.isReserved && crossed.crossedReorderPoint)
        #expect(crossed.availableAfter == 4 && crossed.reorderPoint == 5)
        let short = try LineReservation(reply: .array([.integer(0), .integer(0), .integer(1), .integer(0), .null]))
        #expect(!short.isReserved && short.reorderPoint == nil)
    }

    @Test("lines of one SKU are reserved together; a quantity below 1 is refused")
    func linesBySKU() throws {
        let merged = try InventoryStore.quantitiesBySKU([("A", 1), ("B", 2), ("A", 3)])
        #expect(merged.map(\.sku) == ["A", "B"])
        #expect(merged.map(\.quantity) == [4, 2])
        #expect(throws: StoreError.self) { try InventoryStore.quantitiesBySKU([("A", 1), ("B", 0)]) }
    }
}
