/// A problem in a configuration file (the rate table, the routing rules), at a
/// field path, saying what to fix:
/// `routing rules: rules[2].then.location 'NYC-2' is not in locations (LON-1, NYC-1)`.
/// Array indexes count from 0. Decoding stops at the first problem.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which file: "rate table", "routing rules".
    public var document: String
    /// Where in it: `zones.eu.services.express.prices[3]`; empty for the whole file.
    public var path: String
    public var problem: String

    public init(document: String, path: String, problem: String) {
        self.document = document
        self.path = path
        self.problem = problem
    }

    public var description: String {
        "\(document): \(path.isEmpty ? "the file" : path) \(problem)"
    }
}
