/// The outcome of a restock.
public struct Restock: Sendable, Hashable {
    /// False when a restock with the same id was applied before: nothing changed.
    public var applied: Bool
    /// Available stock after the restock.
    public var available: Int

    public init(applied: Bool, available: Int) {
        self.applied = applied
        self.available = available
    }
}
