import Foundation
import OMSDomain
import Testing
@testable import OMSStore

@Suite("transition script arguments")
struct TransitionArgumentsTests {
    static let time = Date(timeIntervalSince1970: 1_795_341_600.25)

    @Test("the allowed predecessors of every status are exactly the statuses the state machine moves from to it",
          arguments: OrderStatus.allCases)
    func predecessors(status: OrderStatus) throws {
        let arguments = try OrderStore.transitionArguments(to: status, stage: "capture", note: "", fields: [:],
                                                           timeToLive: 0, at: Self.time)
        let sent = Set(arguments[1].split(separator: " ").map(String.init))
        let expected = Set(OrderStatus.transitions.filter { $0.value.contains(status) }.keys.map(\.rawValue))
        #expect(sent == expected)
        #expect(arguments[0] == status.rawValue)
    }

    @Test("received, the initial status, has no predecessor: no transition reaches it")
    func initialHasNoPredecessor() throws {
        let arguments = try OrderStore.transitionArguments(to: .received, stage: "s", note: "", fields: [:],
                                                           timeToLive: 0, at: Self.time)
        #expect(arguments[1] == "")
    }

    @Test("time is RFC 3339 UTC with milliseconds; stage, note, time to live, forbidding effect, then extra fields sorted by name")
    func layout() throws {
        let arguments = try OrderStore.transitionArguments(
            to: .shipped, stage: "ship", note: "label made",
            fields: ["tracking_number": "1Z999", "carrier": "table-rate"], timeToLive: 3600, at: Self.time)
        #expect(arguments == ["shipped", "picked", "2026-11-22T10:00:00.250Z", "ship", "label made", "3600", "",
                              "carrier", "table-rate", "tracking_number", "1Z999"])
        let cancel = try OrderStore.transitionArguments(to: .cancelled, stage: "capture", note: "asked", fields: [:],
                                                        timeToLive: 0, unless: "label.claimed", at: Self.time)
        #expect(cancel[6] == "label.claimed")
    }

    @Test("the keys get the retention as time to live on entering a settled status, 0 (no expiry) on any other",
          arguments: OrderStatus.allCases)
    func timeToLive(status: OrderStatus) throws {
        let retention = try #require(Retention("30d"))
        let arguments = try OrderStore.transitionArguments(
            to: status, stage: "s", note: "", fields: ["reason": "x"],
            timeToLive: retention.timeToLive(afterEntering: status), at: Self.time)
        let settled: Set<OrderStatus> = [.rejected, .cancelled, .refunded, .delivered]
        #expect(arguments[5] == (settled.contains(status) ? "2592000" : "0"))
        #expect(Array(arguments.suffix(2)) == ["reason", "x"])
        #expect(Retention.keep.timeToLive(afterEntering: status) == 0)
    }

    @Test("an extra field the store keeps itself is refused before anything is sent",
          arguments: ["status", "version", "updated_at", "created_at", "channel", "document", "content_hash"])
    func managedFieldRefused(field: String) {
        let error = #expect(throws: StoreError.self) {
            try OrderStore.transitionArguments(to: .cancelled, stage: "s", note: "", fields: [field: "x"],
                                               timeToLive: 0, at: Self.time)
        }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.description.contains(field) == true)
    }
}
