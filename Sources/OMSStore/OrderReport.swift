import OMSDomain

/// The figures of `oms report`, computed from the report's counters alone: no
/// order is read, so orders whose keys have expired count as well as live ones.
public struct OrderReport: Sendable, Hashable {
    /// Orders that ever entered each status; every status is listed.
    public var entered: [OrderStatus: Int]
    /// Orders in each status now: entered − left, never below 0 (a count
    /// may come in before the one it follows); every status is listed.
    public var current: [OrderStatus: Int]
    /// Per channel, the orders in each status now; every status is listed.
    public var currentByChannel: [String: [OrderStatus: Int]]
    /// Per channel, the orders ever received.
    public var receivedByChannel: [String: Int]
    /// Orders counted in the ship-time buckets (received → shipped).
    public var shipTimesCounted: Int
    /// Received → shipped in milliseconds: the bucket edges of
    /// `DurationBuckets`, so at most 5 % over the true figure; nil when none shipped.
    public var shipTimeMedian: Int?
    public var shipTime95thPercentile: Int?
    /// Shipments that ended: orders that moved on from shipped.
    public var shipmentsEnded: Int
    /// Of the shipments that ended, the share delivered (the rest went to
    /// return_requested before delivery). Orders still on their way count
    /// neither way, so a slow carrier does not look like a failing one. Nil
    /// when no shipment ended.
    public var deliverySuccessRate: Double?
    /// Orders with a return requested (from shipped or delivered) per order
    /// shipped. Nil when none shipped.
    public var returnRate: Double?
    /// Refunded on returns (orders that reached refunded), per currency, sorted
    /// by code; a code that is not ISO 4217 is left out.
    public var refunds: [Money]
    /// Owed by the channels for returns of prepaid orders, per currency.
    public var refundsOwed: [Money]
    /// Emails sent per event type.
    public var emails: [String: Int]

    public init(counters: [ReportCounter: Int]) {
        let sums = Sums(counters)
        entered = Self.everyStatus(sums.entered)
        current = Self.difference(sums.entered, sums.left)
        currentByChannel = Dictionary(uniqueKeysWithValues: sums.enteredByChannel.map { channel, counts in
            (channel, Self.difference(counts, sums.leftByChannel[channel, default: [:]]))
        })
        receivedByChannel = sums.enteredByChannel.mapValues { $0[.received, default: 0] }
        shipTimesCounted = sums.shipTimes.values.reduce(0, +)
        shipTimeMedian = DurationBuckets.percentile(0.5, of: sums.shipTimes)
        shipTime95thPercentile = DurationBuckets.percentile(0.95, of: sums.shipTimes)
        shipmentsEnded = sums.left[.shipped, default: 0]
        deliverySuccessRate = Self.ratio(sums.entered[.delivered, default: 0], shipmentsEnded)
        returnRate = Self.ratio(sums.entered[.returnRequested, default: 0], sums.entered[.shipped, default: 0])
        refunds = Self.amounts(sums.refunds)
        refundsOwed = Self.amounts(sums.refundsOwed)
        emails = sums.emails
    }

    /// The counters sorted by kind.
    private struct Sums {
        var entered: [OrderStatus: Int] = [:], left: [OrderStatus: Int] = [:]
        var enteredByChannel: [String: [OrderStatus: Int]] = [:], leftByChannel: [String: [OrderStatus: Int]] = [:]
        var shipTimes: [Int: Int] = [:], refunds: [String: Int] = [:], emails: [String: Int] = [:]
        var refundsOwed: [String: Int] = [:]

        init(_ counters: [ReportCounter: Int]) {
            for (counter, count) in counters {
                switch counter {
                case .entered(let status, nil): entered[status, default: 0] += count
                case .entered(let status, let channel?):
                    enteredByChannel[channel, default: [:]][status, default: 0] += count
                case .left(let status, nil): left[status, default: 0] += count
                case .left(let status, let channel?):
                    leftByChannel[channel, default: [:]][status, default: 0] += count
                case .shipTime(let bucket): shipTimes[bucket, default: 0] += count
                case .refunds(let currency): refunds[currency, default: 0] += count
                case .refundsOwed(let currency): refundsOwed[currency, default: 0] += count
                case .emails(let eventType): emails[eventType, default: 0] += count
                }
            }
        }
    }

    /// Minor units per currency code as money, sorted by code; a code that is not ISO 4217 is left out.
    private static func amounts(_ sums: [String: Int]) -> [Money] {
        sums.sorted { $0.key < $1.key }.compactMap { code, minorUnits in
            Currency(code: code).map { Money(minorUnits: Int64(minorUnits), currency: $0) }
        }
    }

    private static func everyStatus(_ counts: [OrderStatus: Int]) -> [OrderStatus: Int] {
        Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0, counts[$0, default: 0]) })
    }

    private static func difference(_ entered: [OrderStatus: Int], _ left: [OrderStatus: Int]) -> [OrderStatus: Int] {
        Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map {
            ($0, max(0, entered[$0, default: 0] - left[$0, default: 0]))
        })
    }

    private static func ratio(_ part: Int, _ whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }
}
