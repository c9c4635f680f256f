import OMSDomain
import OMSStore

/// What a cancel does, by how the move to cancelled went.
enum CancelStep: Sendable, Hashable {
    /// Cancelled now or before: release the stock, take it off a picklist if
    /// it may be on one, refund a charge.
    case cancelled(version: Int, mayBeOnPicklist: Bool)
    /// Capture has not settled the order yet: retry the cancel.
    case wait
    /// The lifecycle does not allow it any more: recorded; the order stays
    /// at `version`. When it came too late (`tooLate`) the customer is told
    /// why (`cancel.refused`).
    case refused(OrderStatus, version: Int, why: String)
    case missing

    init(_ transition: Transition) {
        switch transition {
        case .applied(let from, let version):
            // Only an order cancelled from picked can be on a picklist: one still paid
            // is voided by pick itself when its own move loses.
            self = .cancelled(version: version, mayBeOnPicklist: from == .picked)
        case .already(let version):
            // Found cancelled by a redelivery: where it came from is not known.
            self = .cancelled(version: version, mayBeOnPicklist: true)
        case .refused(.received, _):
            self = .wait
        case .refused(let current, let version):
            // Refused from picked only once ship has claimed the label.
            self = .refused(current, version: version, why: Self.why(current))
        case .missing:
            self = .missing
        }
    }

    /// The statuses in which a cancel comes too late: the goods are on
    /// their way or arrived, and can come back as a return. Refusals in
    /// other statuses (a return under way, an order rejected) tell no one.
    static let tooLate: Set<OrderStatus> = [.picked, .shipped, .delivered]

    /// Recorded in the history and, when too late, said to the customer after "Why: ".
    static func why(_ current: OrderStatus) -> String {
        switch current {
        case .picked: "its shipping label is already bought and the parcel is on its way out"
        case .shipped: "it has already shipped"
        case .delivered: "it has already been delivered"
        case .returnRequested, .returned: "a return is already under way"
        case .refunded: "it has already been refunded"
        case .rejected: "the order was not accepted"
        default: "the order is \(current.rawValue.replacingOccurrences(of: "_", with: " "))"
        }
    }
}
