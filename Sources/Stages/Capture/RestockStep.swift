import OMSDomain

/// What a restock does with an order on the SKU's backorder queue, by its status.
enum RestockStep: Sendable, Hashable {
    /// Capture is still settling it: it stays queued for the next restock.
    case wait
    /// Still backordered: reserve its lines now, and confirm it if they all are.
    case reserve
    /// Confirmed by an earlier try that stopped before dequeuing it: publish it again.
    case announce
    /// It left the backorders otherwise (cancelled): only dequeue it.
    case drop

    init(status: OrderStatus) {
        switch status {
        case .received: self = .wait
        case .backordered: self = .reserve
        case .confirmed: self = .announce
        default: self = .drop
        }
    }
}
