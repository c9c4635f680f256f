import OMSDomain

extension Order.Shipping.Service {
    /// The services by the promise they make, slowest first: standard < express
    /// < overnight. Routing rules only move an order up this scale.
    var speed: Int {
        switch self {
        case .standard: 0
        case .express: 1
        case .overnight: 2
        }
    }

    /// The faster of two services.
    func atLeast(_ other: Self) -> Self {
        other.speed > speed ? other : self
    }
}
