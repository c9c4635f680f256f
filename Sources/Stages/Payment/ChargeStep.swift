import Fulfilment
import OMSDomain
import OMSStore

/// What a charge comes to: first by the gateway's answer, then by the move to paid.
enum ChargeStep: Sendable, Hashable {
    /// Charged (or prepaid): move the order to paid with this reference.
    case pay(reference: String)
    /// Declined: cancel the order with the gateway's reason and release its stock.
    case cancel(reason: String)
    /// The gateway did not answer: try again later.
    case retry(reason: String)
    /// Paid: announce it, which hands the order to pick.
    case announce(version: Int)
    /// Cancelled while the gateway was working: the money goes back.
    case refund(current: OrderStatus)
    /// Paid by another delivery of the same charge, and moved on since
    /// (picked, shipped…): that delivery announced it; nothing to do.
    case paidElsewhere(current: OrderStatus)
    /// The order disappeared while the gateway was working.
    case missing

    init(answer: Result<String, GatewayError>) {
        switch answer {
        case .success(let reference): self = .pay(reference: reference)
        case .failure(let error) where error.isTransient: self = .retry(reason: error.description)
        case .failure(let error): self = .cancel(reason: error.description)
        }
    }

    init(paid transition: Transition) {
        switch transition {
        case .applied(_, let version), .already(let version): self = .announce(version: version)
        case .refused(.cancelled, _): self = .refund(current: .cancelled)
        case .refused(let current, _): self = .paidElsewhere(current: current)
        case .missing: self = .missing
        }
    }
}
