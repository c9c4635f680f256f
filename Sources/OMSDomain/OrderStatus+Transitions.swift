/// The state machine of DESIGN.md, once: every allowed transition and nothing
/// else. The Redis transition script receives its allowed set from here.
extension OrderStatus {
    /// Status → the statuses it may move to.
    public static let transitions: [OrderStatus: Set<OrderStatus>] = [
        .received: [.confirmed, .backordered, .rejected, .onHold],
        .onHold: [.confirmed, .backordered, .cancelled],
        .backordered: [.confirmed, .cancelled],
        .confirmed: [.paid, .cancelled],
        .paid: [.picked, .cancelled],
        .picked: [.shipped, .cancelled],
        .shipped: [.delivered, .returnRequested],
        .delivered: [.returnRequested],
        .returnRequested: [.returned],
        .returned: [.refunded],
    ]

    /// A new order's first status.
    public static let initial = OrderStatus.received

    public func canMove(to next: OrderStatus) -> Bool {
        Self.transitions[self, default: []].contains(next)
    }

    /// Whether `later` may still be reached from this status by one or more moves.
    public func leads(to later: OrderStatus) -> Bool {
        var seen: Set<OrderStatus> = []
        var next = Self.transitions[self, default: []]
        while let status = next.popFirst() {
            if status == later { return true }
            if seen.insert(status).inserted { next.formUnion(Self.transitions[status, default: []]) }
        }
        return false
    }

    /// Whether the goods have left the warehouse: shipped, or any status after it.
    public var hasShipped: Bool {
        self == .shipped || Self.shipped.leads(to: self)
    }

    /// The statuses from which `self` may be reached, sorted for stable scripts.
    public var allowedPredecessors: [OrderStatus] {
        Self.allCases.filter { $0.canMove(to: self) }
    }
}
