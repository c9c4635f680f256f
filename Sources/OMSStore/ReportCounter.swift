import OMSDomain

/// A counter of `oms report` in the `oms:report:{report}` hash; the only place
/// the counters' field names are spelled.
///
/// Every status an order enters is counted once as entered and, when it moves
/// on, once as left: the orders in a status now are entered − left, exact for
/// orders whose keys have expired as for live ones, and exact whatever order
/// the counts arrive in.
public enum ReportCounter: Sendable, Hashable {
    /// `in:<status>`, `in:<status>:<channel>`: orders that entered the status.
    case entered(OrderStatus, channel: String? = nil)
    /// `out:<status>`, `out:<status>:<channel>`: orders that moved on from it.
    case left(OrderStatus, channel: String? = nil)
    /// `ship_ms:<bucket>`: orders shipped this long after they were received
    /// (a bucket of `DurationBuckets`, in milliseconds).
    case shipTime(bucket: Int)
    /// `refunds:<currency>`: minor units refunded on returns.
    case refunds(currency: String)
    /// `refunds_owed:<currency>`: minor units a channel owes customers for
    /// returns of prepaid (marketplace) orders, which oms cannot pay back.
    case refundsOwed(currency: String)
    /// `emails:<event type>`: emails sent for that event.
    case emails(eventType: String)

    public var field: String {
        switch self {
        case .entered(let status, let channel): Self.join("in", status.rawValue, channel)
        case .left(let status, let channel): Self.join("out", status.rawValue, channel)
        case .shipTime(let bucket): "ship_ms:\(bucket)"
        case .refunds(let currency): "refunds:\(currency)"
        case .refundsOwed(let currency): "refunds_owed:\(currency)"
        case .emails(let eventType): "emails:\(eventType)"
        }
    }

    /// Nil for a field this version does not know.
    public init?(field: String) {
        let parts = field.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[1].isEmpty else { return nil }
        switch parts[0] {
        case "in", "out":
            guard let status = OrderStatus(rawValue: parts[1]), parts.count == 2 || !parts[2].isEmpty else {
                return nil
            }
            let channel = parts.count == 3 ? parts[2] : nil
            self = parts[0] == "in" ? .entered(status, channel: channel) : .left(status, channel: channel)
        case "ship_ms":
            guard parts.count == 2, let bucket = Int(parts[1]), bucket >= 0 else { return nil }
            self = .shipTime(bucket: bucket)
        case "refunds" where parts.count == 2:
            self = .refunds(currency: parts[1])
        case "refunds_owed" where parts.count == 2:
            self = .refundsOwed(currency: parts[1])
        case "emails":
            self = .emails(eventType: parts.dropFirst().joined(separator: ":"))
        default:
            return nil
        }
    }

    private static func join(_ direction: String, _ status: String, _ channel: String?) -> String {
        channel.map { "\(direction):\(status):\($0)" } ?? "\(direction):\(status)"
    }
}
