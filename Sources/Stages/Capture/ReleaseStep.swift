import OMSDomain

/// What `oms hold release` does, by the order's status.
enum ReleaseStep: Sendable, Hashable {
    /// Still held: reserve its stock, confirmed or backordered.
    case reserve
    /// Released before (a redelivery): publish its messages again.
    case announce
    /// It left on_hold otherwise (cancelled): leave it alone.
    case nothing

    init(status: OrderStatus) {
        switch status {
        case .onHold: self = .reserve
        case .confirmed, .backordered: self = .announce
        default: self = .nothing
        }
    }
}
