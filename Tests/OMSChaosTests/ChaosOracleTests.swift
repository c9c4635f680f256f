import OMSDomain
import Testing
@testable import OMSChaos

/// The history checker's judgement on made-up histories: each check finds
/// the violation it is for, and a clean history passes them all.
@Suite("Chaos oracle")
struct ChaosOracleTests {
    /// Order A shipped (SKU X ×2), order B cancelled before payment.
    static func clean() -> (ChaosRecord.State, SettledFacts) {
        var record = ChaosRecord.State()
        record.orders = ["A": [OrderLine(sku: "X", quantity: 2)], "B": [OrderLine(sku: "X", quantity: 1)]]
        record.restocked = ["X": 5]
        record.events = [
            .init(id: "A:1", orderID: "A", status: .received, version: 1),
            .init(id: "A:2", orderID: "A", status: .confirmed, version: 2),
            .init(id: "A:3", orderID: "A", status: .paid, version: 3),
            .init(id: "A:3", orderID: "A", status: .paid, version: 3),
            .init(id: "A:4", orderID: "A", status: .picked, version: 4),
            .init(id: "A:5", orderID: "A", status: .shipped, version: 5),
            .init(id: "B:1", orderID: "B", status: .received, version: 1),
            .init(id: "B:2", orderID: "B", status: .confirmed, version: 2),
            .init(id: "B:3", orderID: "B", status: .cancelled, version: 3),
        ]
        let facts = SettledFacts(orders: ["A": (.shipped, 5), "B": (.cancelled, 3)], stock: ["X": (13, 0)],
                                 initialStock: ["X": 10], emailMessageIDs: ["<a-confirmed>", "<a-shipped>"],
                                 captured: ["A"], refunded: [])
        return (record, facts)
    }

    @Test("a clean history, a redelivered event included, has no violation")
    func clean() {
        let (record, facts) = Self.clean()
        #expect(ChaosOracle.violations(record, facts) == [])
    }

    @Test("an order still in flight, or never stored, is named")
    func unsettled() {
        var (record, facts) = Self.clean()
        facts.orders["A"] = (.picked, 4)
        record.orders["C"] = [OrderLine(sku: "X", quantity: 1)]
        #expect(ChaosOracle.settlement(record, facts) == ["A: still picked", "C: confirmed by the broker but never stored"])
    }

    @Test("a lost event is a gap; two different events with one version are a repeat")
    func versions() {
        var (record, facts) = Self.clean()
        record.events.removeAll { $0.id == "A:4" }
        record.events.append(.init(id: "B:3-other", orderID: "B", status: .refunded, version: 3))
        facts.orders["B"] = (.cancelled, 3)
        #expect(ChaosOracle.versions(record, facts) == [
            "A: event versions [1, 2, 3, 5] (missing [4], repeated [])",
            "B: event versions [1, 2, 3, 3] (missing [], repeated [3])",
        ])
    }

    @Test("stock that does not add up is an oversell or a loss")
    func stock() {
        var (record, facts) = Self.clean()
        facts.stock["X"] = (12, 0)
        #expect(ChaosOracle.stock(record, facts) == ["X: 15 stocked but 12 available + 0 reserved + 2 shipped = 14"])
        record.restocked = [:]
        facts.stock["X"] = (8, 0)
        #expect(ChaosOracle.stock(record, facts) == [])
    }

    @Test("an email delivered twice is named with its count")
    func emails() {
        var (_, facts) = Self.clean()
        facts.emailMessageIDs += ["<a-shipped>", "<a-shipped>"]
        #expect(ChaosOracle.emails(facts) == ["email <a-shipped> delivered 3 times"])
    }

    @Test("good orders beside a poison storm: half their clean pace passes, slower is named with both rates")
    func pace() {
        #expect(ChaosOracle.pace(orders: 1000, poisoned: 20, clean: 10).isEmpty)
        #expect(ChaosOracle.pace(orders: 1000, poisoned: 25, clean: 10)
            == ["good orders flowed at 40/s beside the poison storm, under half of 100/s without it"])
    }

    @Test("money kept for an unpaid order, or a paid order without money, is named; a refund squares it")
    func payments() {
        var (record, facts) = Self.clean()
        facts.captured = ["B"]
        #expect(ChaosOracle.payments(record, facts) == ["A: paid without a capture at the gateway",
                                                        "B: money captured, never paid and never refunded"])
        facts.captured = ["A", "B"]
        facts.refunded = ["B"]
        #expect(ChaosOracle.payments(record, facts) == [])
        record.events.removeAll { $0.status == .paid }
        #expect(ChaosOracle.payments(record, facts) == ["A: money captured, never paid and never refunded"])
    }

    @Test("a phase's part of the record holds only its orders, their events and their SKUs' restocks")
    func phasePart() {
        var (record, _) = Self.clean()
        record.orders["Z"] = [OrderLine(sku: "Y", quantity: 1)]
        record.restocked["Y"] = 3
        record.events.append(.init(id: "Z:1", orderID: "Z", status: .received, version: 1))
        let part = record.only(orders: ["Z"])
        #expect(Set(part.orders.keys) == ["Z"])
        #expect(part.restocked == ["Y": 3])
        #expect(part.events.map(\.id) == ["Z:1"])
    }

    @Test("a malformed message missing from oms.dead, or there without a reason, is named")
    func poison() {
        var (record, _) = Self.clean()
        record.poison = ["poison-p-1", "poison-p-2", "poison-p-3"]
        record.deadPoison = ["poison-p-1": "message body is not valid JSON", "poison-p-3": ""]
        #expect(ChaosOracle.poison(record) == ["poison-p-2: malformed, never dead-lettered",
                                              "poison-p-3: dead-lettered without a reason"])
        #expect(record.only(orders: [], poisonOf: "p").poison.count == 3)
        #expect(record.only(orders: [], poisonOf: "q").poison.isEmpty)
    }

    @Test("a dead letter's body names its poison id, whatever the body is")
    func poisonID() {
        #expect(Chaos.poisonID(in: Array("poison-ab12-3-17 is not JSON {".utf8)) == "poison-ab12-3-17")
        #expect(Chaos.poisonID(in: Array(#"{"id":"poison-ab12-3-18","channel":"web"}"#.utf8)) == "poison-ab12-3-18")
        #expect(Chaos.poisonID(in: Array(#"{"id":"web-1"}"#.utf8)) == nil)
    }
}
