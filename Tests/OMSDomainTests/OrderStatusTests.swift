import Foundation
import OMSDomain
import Testing

@Suite("Order state machine")
struct OrderStatusTests {
    /// DESIGN.md's status table, read from `../shared/DESIGN.md` beside the
    /// checkout, so that a change there fails this suite until the state
    /// machine follows it.
    static let design: (pairs: Set<[String]>, statuses: Set<String>) = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/DESIGN.md").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ([], []) }
        var pairs: Set<[String]> = []
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| from | to |") { inTable = true; continue }
            guard inTable else { continue }
            guard line.hasPrefix("|") else { break }
            let columns = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard columns.count >= 2, !columns[0].hasPrefix("---"), columns[0] != "(none)" else { continue }
            // "returned → refunded": a chain; "confirmed / cancelled": alternatives.
            let chain = columns[1].components(separatedBy: "→").map { $0.trimmingCharacters(in: .whitespaces) }
            for from in columns[0].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                for to in chain[0].split(separator: "/").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    pairs.insert([from, to])
                }
            }
            for (from, to) in zip(chain, chain.dropFirst()) { pairs.insert([from, to]) }
        }
        return (pairs, Set(pairs.flatMap { $0 }))
    }()

    /// Statuses DESIGN.md names that oms does not have yet; the suite fails
    /// when one is added without leaving this list.
    static let notYetBuilt: Set<String> = []

    static var everyPair: [(OrderStatus, OrderStatus)] {
        OrderStatus.allCases.flatMap { from in OrderStatus.allCases.map { (from, $0) } }
    }

    @Test("DESIGN.md's status table is found and names every status oms has, and no other but those not yet built")
    func designStatuses() {
        #expect(!Self.design.pairs.isEmpty, "cannot read the status table of ../shared/DESIGN.md")
        #expect(Self.design.statuses == Set(OrderStatus.allCases.map(\.rawValue)).union(Self.notYetBuilt))
        #expect(Self.notYetBuilt.allSatisfy { OrderStatus(rawValue: $0) == nil }, "built: take it off notYetBuilt")
    }

    @Test("every transition of DESIGN.md is allowed, and no other", arguments: everyPair)
    func transition(from: OrderStatus, to: OrderStatus) {
        #expect(from.canMove(to: to) == Self.design.pairs.contains([from.rawValue, to.rawValue]), "\(from) → \(to)")
    }

    @Test("a new order starts received; rejected, cancelled and refunded are final")
    func endpoints() {
        #expect(OrderStatus.initial == .received)
        #expect(OrderStatus.allCases.filter(\.isFinal) == [.rejected, .cancelled, .refunded])
    }

    @Test("predecessors are what the Redis script is given")
    func predecessors() {
        #expect(OrderStatus.confirmed.allowedPredecessors == [.received, .backordered, .onHold])
        #expect(OrderStatus.cancelled.allowedPredecessors == [.confirmed, .backordered, .onHold, .paid, .picked])
        #expect(OrderStatus.returnRequested.allowedPredecessors == [.shipped, .delivered])
        #expect(OrderStatus.received.allowedPredecessors.isEmpty)
    }

    @Test("public names: raw values and event types")
    func names() {
        #expect(OrderStatus.returnRequested.rawValue == "return_requested")
        #expect(OrderStatus.shipped.eventType == "order.shipped")
    }
}

@Suite("Money")
struct MoneyTests {
    let usd = Currency(code: "USD")!

    @Test("currency exponents follow ISO 4217", arguments: [
        ("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("CLP", 0), ("KWD", 3), ("BHD", 3), ("CLF", 4),
    ])
    func exponents(code: String, exponent: Int) {
        #expect(Currency(code: code)?.exponent == exponent)
    }

    @Test("unknown and non-currency codes are refused", arguments: ["XYZ", "usd", "", "XAU", "US"])
    func unknown(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test("amounts print in major units with the currency's decimals")
    func formatting() {
        #expect(Money(minorUnits: 1250, currency: usd).description == "12.50 USD")
        #expect(Money(minorUnits: 5, currency: usd).description == "0.05 USD")
        #expect(Money(minorUnits: -1999, currency: usd).description == "-19.99 USD")
        #expect(Money(minorUnits: 1250, currency: Currency(code: "JPY")!).description == "1250 JPY")
        #expect(Money(minorUnits: 1250, currency: Currency(code: "KWD")!).description == "1.250 KWD")
    }

    @Test("arithmetic is exact, and refuses other currencies and overflow")
    func arithmetic() throws {
        let sum = try Money(minorUnits: 1250, currency: usd).multiplied(by: 3)
            .adding(Money(minorUnits: 1, currency: usd))
        #expect(sum == Money(minorUnits: 3751, currency: usd))
        #expect(throws: Money.ArithmeticError.currencyMismatch("USD", "EUR")) {
            try Money.zero(usd).adding(.zero(Currency(code: "EUR")!))
        }
        #expect(throws: Money.ArithmeticError.overflow) {
            try Money(minorUnits: .max / 2, currency: usd).multiplied(by: 3)
        }
    }

    @Test("shipped and every status after it, and no other, have shipped")
    func hasShipped() {
        #expect(Set(OrderStatus.allCases.filter(\.hasShipped))
                == [.shipped, .delivered, .returnRequested, .returned, .refunded])
    }
}
