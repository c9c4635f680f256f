import OMSDomain

/// How `OrderStore.claimEffect` ended.
public enum EffectClaim: Sendable, Hashable {
    /// The marker is written (again, on a redelivery): the claimant goes on.
    case claimed
    /// The order is not in the status the claim needs (`nil`: no such order).
    case refused(current: OrderStatus?)
}
