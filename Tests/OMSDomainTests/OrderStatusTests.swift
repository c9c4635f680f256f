import OMSDomain
import Testing

@Suite("Order state machine")
struct OrderStatusTests {
    static let allowed: Set<[OrderStatus]> = [
        [.received, .confirmed], [.received, .backordered], [.received, .rejected],
        [.backordered, .confirmed], [.backordered, .cancelled],
        [.confirmed, .paid], [.confirmed, .cancelled],
        [.paid, .picked], [.paid, .cancelled],
        [.picked, .shipped],
        [.shipped, .delivered], [.shipped, .returnRequested], [.delivered, .returnRequested],
        [.returnRequested, .returned], [.returned, .refunded],
    ]

    static var everyPair: [(OrderStatus, OrderStatus)] {
        OrderStatus.allCases.flatMap { from in OrderStatus.allCases.map { (from, $0) } }
    }

    @Test("every transition of DESIGN.md is allowed, and no other", arguments: everyPair)
    func transition(from: OrderStatus, to: OrderStatus) {
        #expect(from.canMove(to: to) == Self.allowed.contains([from, to]), "\(from) → \(to)")
    }

    @Test("a new order starts received; rejected, cancelled and refunded are final")
    func endpoints() {
        #expect(OrderStatus.initial == .received)
        #expect(OrderStatus.allCases.filter(\.isFinal) == [.rejected, .cancelled, .refunded])
    }

    @Test("predecessors are what the Redis script is given")
    func predecessors() {
        #expect(OrderStatus.confirmed.allowedPredecessors == [.received, .backordered])
        #expect(OrderStatus.cancelled.allowedPredecessors == [.confirmed, .backordered, .paid])
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
}
