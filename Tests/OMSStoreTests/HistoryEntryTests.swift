import Foundation
import OMSDomain
import Testing
@testable import OMSStore

@Suite("history entries")
struct HistoryEntryTests {
    static func decode(_ json: String) throws -> HistoryEntry {
        try JSONDecoder().decode(HistoryEntry.self, from: Data(json.utf8))
    }

    @Test("a transition decodes as Lua's cjson writes it: any key order, escaped slashes")
    func transition() throws {
        let entry = try Self.decode(#"""
            {"note":"payment declined \/ card","stage":"payment","version":3,"to":"cancelled",
             "time":"2026-11-22T10:00:00.123Z","from":"confirmed"}
            """#)
        #expect(entry == HistoryEntry(from: .confirmed, to: .cancelled, version: 3,
                                      time: try #require(RFC3339.parse("2026-11-22T10:00:00.123Z")), stage: "payment",
                                      note: "payment declined / card"))
        #expect(entry.isTransition)
    }

    @Test("the first entry has an empty from: the order's creation")
    func creation() throws {
        let entry = try Self.decode(#"""
            {"from":"","to":"received","version":1,"time":"2026-11-22T10:00:00.000Z","stage":"capture","note":""}
            """#)
        #expect(entry.from == nil)
        #expect(entry.to == .received)
        #expect(entry.version == 1)
    }

    @Test("a recorded remark says it is no transition, with from and to the current status")
    func remark() throws {
        let entry = try Self.decode(#"""
            {"from":"shipped","to":"shipped","version":6,"time":"2026-11-22T10:00:00.000Z","stage":"capture",
             "note":"cancel refused: already shipped","transition":false}
            """#)
        #expect(!entry.isTransition)
        #expect(entry.from == entry.to)
    }

    @Test("encoding writes the stored format back: decoding it gives the same entry")
    func roundTrip() throws {
        let entries = [
            HistoryEntry(from: nil, to: .received, version: 1, time: Date(timeIntervalSince1970: 1_795_341_600),
                         stage: "capture", note: ""),
            HistoryEntry(from: .paid, to: .paid, version: 4, time: Date(timeIntervalSince1970: 1_795_341_600.5),
                         stage: "pick", note: "cancel refused", isTransition: false),
        ]
        for entry in entries {
            let json = try JSONEncoder().encode(entry)
            #expect(try JSONDecoder().decode(HistoryEntry.self, from: json) == entry)
            let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
            #expect(object?["from"] as? String == entry.from?.rawValue ?? "")
            #expect((object?["transition"] != nil) == !entry.isTransition)
        }
    }

    @Test("an unknown status or a bad time is a decoding error, not a guess", arguments: [
        #"{"from":"lost","to":"received","version":1,"time":"2026-11-22T10:00:00Z","stage":"s","note":""}"#,
        #"{"from":"","to":"teleported","version":1,"time":"2026-11-22T10:00:00Z","stage":"s","note":""}"#,
        #"{"from":"","to":"received","version":1,"time":"yesterday","stage":"s","note":""}"#,
    ])
    func corrupt(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }
}
