/// The answer to `OrderStore.claimLease`.
public enum LeaseClaim: Sendable, Hashable {
    /// This caller holds the lease and the effect is not done: it may do it.
    case claimed
    /// Another delivery holds the lease: try again later.
    case heldByAnother
    /// The effect's marker is set: nothing to do.
    case alreadyDone
}
