import OMSDomain
import OMSStore

/// What a cancel does, by how the move to cancelled went.
enum CancelStep: Sendable, Hashable {
    /// Cancelled now or before: release the stock, take it off a picklist if
    /// it may be on one, refund a charge.
    case cancelled(version: Int, mayBeOnPicklist: Bool)
    /// Capture has not settled the order yet: retry the cancel.
    case wait
    /// The lifecycle does not allow it any more: recorded, nothing else.
    case refused(OrderStatus, why: String)
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
        case .refused(let current, _):
            // Refused from picked only once ship has claimed the label.
            let why = current == .picked ? "its label is bought" : "the order is \(current.rawValue)"
            self = .refused(current, why: why)
        case .missing:
            self = .missing
        }
    }
}
