/// One thing wrong with a message, at a field path: `lines[2].quantity must
/// be a positive integer (1 to 10000)`. Array indexes count from 0.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public var description: String { path.isEmpty ? problem : "\(path) \(problem)" }
}

/// Every problem found in a message, so a publisher can fix them all at once.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [ValidationIssue]

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
