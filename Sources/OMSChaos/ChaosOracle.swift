import OMSDomain

/// What Redis and the mail sink hold once a phase has settled, read by the run.
struct SettledFacts: Sendable {
    /// Order id → its status and version in Redis (absent: never stored).
    var orders: [String: (status: OrderStatus, version: Int)]
    /// SKU → available and reserved.
    var stock: [String: (available: Int, reserved: Int)]
    /// SKU → units stocked before the phase.
    var initialStock: [String: Int]
    /// Message-IDs of the emails the sink stored for the phase's orders, one per email received.
    var emailMessageIDs: [String]
    /// Orders the sandbox gateway captured money for.
    var captured: Set<String>
    /// Orders the sandbox gateway refunded.
    var refunded: Set<String>
}

/// The checks of issue 18's history checker, from the record and the facts
/// alone: no server, so they are unit-tested with made-up histories.
enum ChaosOracle {
    /// Statuses an order of the flow may end in.
    static let settled: Set<OrderStatus> = [.shipped, .delivered, .cancelled, .refunded, .rejected, .returned]

    static func violations(_ record: ChaosRecord.State, _ facts: SettledFacts) -> [String] {
        settlement(record, facts) + versions(record, facts) + stock(record, facts) + emails(facts)
            + payments(record, facts) + poison(record)
    }

    /// Every order the broker confirmed reaches a settled status.
    static func settlement(_ record: ChaosRecord.State, _ facts: SettledFacts) -> [String] {
        record.orders.keys.sorted().compactMap { id in
            guard let stored = facts.orders[id] else { return "\(id): confirmed by the broker but never stored" }
            return settled.contains(stored.status) ? nil : "\(id): still \(stored.status.rawValue)"
        }
    }

    /// Each order's distinct events carry versions 1, 2, … up to its stored
    /// version: none missing, none taken by two different events.
    static func versions(_ record: ChaosRecord.State, _ facts: SettledFacts) -> [String] {
        var distinct: [String: [String: Int]] = [:]
        for event in record.events { distinct[event.orderID, default: [:]][event.id] = event.version }
        return record.orders.keys.sorted().compactMap { id in
            let versions = (distinct[id] ?? [:]).values.sorted()
            let expected = Array(1...max(1, facts.orders[id]?.version ?? versions.count))
            if versions == expected { return nil }
            let repeated = Dictionary(grouping: versions, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            let missing = Set(expected).subtracting(versions).sorted()
            return "\(id): event versions \(versions) (missing \(missing), repeated \(repeated))"
        }
    }

    /// Per SKU, initial + restocked = available + reserved + shipped.
    static func stock(_ record: ChaosRecord.State, _ facts: SettledFacts) -> [String] {
        var shipped: [String: Int] = [:]
        for (id, lines) in record.orders where [.shipped, .delivered].contains(facts.orders[id]?.status) {
            for line in lines { shipped[line.sku, default: 0] += line.quantity }
        }
        return facts.initialStock.keys.sorted().compactMap { sku in
            let came = facts.initialStock[sku, default: 0] + record.restocked[sku, default: 0]
            let now = facts.stock[sku] ?? (0, 0)
            let went = now.available + now.reserved + shipped[sku, default: 0]
            return came == went ? nil : "\(sku): \(came) stocked but \(now.available) available + \(now.reserved) "
                + "reserved + \(shipped[sku, default: 0]) shipped = \(went)"
        }
    }

    /// No email arrived twice: each Message-ID once.
    static func emails(_ facts: SettledFacts) -> [String] {
        Dictionary(grouping: facts.emailMessageIDs, by: { $0 }).filter { $0.value.count > 1 }
            .sorted { $0.key < $1.key }.map { "email \($0.key) delivered \($0.value.count) times" }
    }

    /// Money stayed with the shop for exactly the orders that were paid:
    /// captured once for each, and anything captured for an order that
    /// was cancelled before it was paid given back.
    static func payments(_ record: ChaosRecord.State, _ facts: SettledFacts) -> [String] {
        record.orders.keys.sorted().compactMap { id in
            let paid = record.events.contains { $0.orderID == id && $0.status == .paid }
            switch (facts.captured.contains(id), paid, facts.refunded.contains(id)) {
            case (true, false, false): return "\(id): money captured, never paid and never refunded"
            case (false, true, _): return "\(id): paid without a capture at the gateway"
            default: return nil
            }
        }
    }

    /// Beside a poison storm, good orders flow at no less than half their
    /// pace without it: all settled within twice the seconds as many took alone.
    static func pace(orders: Int, poisoned: Double, clean: Double) -> [String] {
        guard poisoned > 2 * clean else { return [] }
        let perSecond = { (seconds: Double) in Int((Double(orders) / max(seconds, 0.001)).rounded()) }
        return ["good orders flowed at \(perSecond(poisoned))/s beside the poison storm, under half of "
            + "\(perSecond(clean))/s without it"]
    }

    /// Every malformed message the broker took is in `oms.dead` with a reason.
    static func poison(_ record: ChaosRecord.State) -> [String] {
        record.poison.sorted().compactMap { id in
            guard let reason = record.deadPoison[id] else { return "\(id): malformed, never dead-lettered" }
            return reason.isEmpty ? "\(id): dead-lettered without a reason" : nil
        }
    }
}
