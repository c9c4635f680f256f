import Foundation
import OMSDomain
import RedisClient
import Testing
@testable import OMSStore

@Suite("script replies")
struct ScriptReplyTests {
    static func text(_ value: String) -> RedisReply { .string(Array(value.utf8)) }

    static func moved(_ verdict: String, from: String, version: Int64, enteredAt: String) -> RedisReply {
        .array([text(verdict), text(from), .integer(version), text("web"), text("2026-11-22T10:00:00.000Z"),
                text(enteredAt)])
    }

    @Test("transition replies: applied, already, refused, missing")
    func transition() throws {
        let applied = try TransitionReply(reply: Self.moved("applied", from: "picked", version: 5,
                                                            enteredAt: "2026-11-22T12:30:00.500Z"), to: .shipped)
        #expect(applied.outcome == .applied(from: .picked, version: 5))
        #expect(applied.entry == StatusEntry(status: .shipped, from: .picked, channel: "web",
                                             createdAt: Date(timeIntervalSince1970: 1_795_341_600),
                                             enteredAt: Date(timeIntervalSince1970: 1_795_350_600.5)))
        let already = try TransitionReply(
            reply: Self.moved("already", from: "paid", version: 4, enteredAt: "2026-11-22T11:00:00.000Z"), to: .picked)
        #expect(already.outcome == .already(version: 4))
        #expect(already.entry?.from == .paid && already.entry?.status == .picked)
        let refused = try TransitionReply(reply: .array([Self.text("refused"), Self.text("shipped"), .integer(6)]),
                                          to: .cancelled)
        #expect(refused.outcome == .refused(current: .shipped, version: 6) && refused.entry == nil)
        #expect(try TransitionReply(reply: .array([Self.text("missing")]), to: .paid).outcome == .missing)
    }

    @Test("an order already there whose history does not say how is still counted, with no status left")
    func alreadyWithoutHistory() throws {
        let reply = RedisReply.array([Self.text("already"), Self.text(""), .integer(3), Self.text(""), Self.text(""),
                                      Self.text("")])
        let already = try TransitionReply(reply: reply, to: .paid)
        #expect(already.outcome == .already(version: 3))
        #expect(already.entry == StatusEntry(status: .paid, from: nil, channel: "", createdAt: nil, enteredAt: nil))
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
        moved("applied", from: "sold", version: 4, enteredAt: ""),
        moved("applied", from: "", version: 4, enteredAt: ""),
        RedisReply.array([.string(Array("applied".utf8)), .string(Array("paid".utf8)), .integer(4)]),
        RedisReply.array([.string(Array("already".utf8)), .integer(4)]),
        RedisReply.integer(1),
        RedisReply.string(Array("ada@example.com".utf8)),
    ])
    func unexpected(reply: RedisReply) {
        let error = #expect(throws: StoreError.self) { try TransitionReply(reply: reply, to: .paid) }
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

    @Test("a reserve reply: reorder point nil when the SKU has none; location and availability per location")
    func reserve() throws {
        let crossed = try LineReservation(
            reply: .array([.integer(1), .integer(1), .integer(4), .integer(1), .integer(5), .null, .array([])]))
        #expect(crossed.isReserved && crossed.crossedReorderPoint)
        #expect(crossed.availableAfter == 4 && crossed.reorderPoint == 5)
        #expect(crossed.location == nil && crossed.availableAt.isEmpty)
        let short = try LineReservation(reply: .array([.integer(0), .integer(0), .integer(1), .integer(0), .null, .null,
                                                       .array([.integer(1), .integer(0)])]))
        #expect(!short.isReserved && short.reorderPoint == nil)
        #expect(short.availableAt == [1, 0])
        let located = try LineReservation(reply: .array([.integer(1), .integer(1), .integer(3), .integer(0), .null,
                                                         Self.text("LON-1"), .array([.integer(3)])]))
        #expect(located.location == "LON-1")
        #expect(throws: StoreError.self) {
            try LineReservation(reply: .array([.integer(1), .integer(1), .integer(4), .integer(1), .integer(5)]))
        }
    }

    @Test("the first location with every located line is chosen; lines not stocked per location do not count")
    func locationWithEveryLine() {
        let lines = [InventoryStore.LocatedLine(sku: "A", quantity: 2, availableAt: [1, 2, 5]),
                     InventoryStore.LocatedLine(sku: "B", quantity: 3, availableAt: [9, 2, 3]),
                     InventoryStore.LocatedLine(sku: "C", quantity: 50, availableAt: [])]
        #expect(InventoryStore.locationWithEveryLine(lines, ["NEAR", "MID", "FAR"]) == "FAR")
        #expect(InventoryStore.locationWithEveryLine(Array(lines.prefix(1)), ["NEAR", "MID", "FAR"]) == "MID")
        #expect(InventoryStore.locationWithEveryLine(lines, ["NEAR", "MID"]) == nil)
    }

    @Test("lines of one SKU are reserved together; a quantity below 1 is refused")
    func linesBySKU() throws {
        let merged = try InventoryStore.quantitiesBySKU([("A", 1), ("B", 2), ("A", 3)])
        #expect(merged.map(\.sku) == ["A", "B"])
        #expect(merged.map(\.quantity) == [4, 2])
        #expect(throws: StoreError.self) { try InventoryStore.quantitiesBySKU([("A", 1), ("B", 0)]) }
    }
}
