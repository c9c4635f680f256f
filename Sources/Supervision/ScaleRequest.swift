/// `STAGE=N` on the command line: how many copies of one stage to run.
/// `STAGE=1,2,4` gives several counts, one per run of a benchmark curve.
public struct ScaleRequest: Sendable, Hashable {
    public var stage: String
    public var copies: [Int]

    public init(stage: String, copies: [Int]) {
        self.stage = stage
        self.copies = copies
    }

    /// Parses `payment=2` or `payment=1,2,4`; `stages` are the names allowed.
    public init(parsing text: String, stages: [String]) throws(ScaleError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ScaleError("'\(text)' is not STAGE=N (for example payment=2)") }
        guard stages.contains(parts[0]) else {
            throw ScaleError("unknown stage '\(parts[0])' in '\(text)': one of \(stages.joined(separator: ", "))")
        }
        let counts = parts[1].split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 != nil }) else {
            throw ScaleError("'\(parts[1])' in '\(text)' is not a number of copies")
        }
        let copies = counts.compactMap { $0 }
        guard copies.allSatisfy({ (0...Self.maximumCopies).contains($0) }) else {
            throw ScaleError("copies in '\(text)' must be 0 to \(Self.maximumCopies)")
        }
        self.init(stage: parts[0], copies: copies)
    }

    /// More copies than this on one machine is a typo, not a plan.
    public static let maximumCopies = 64
}

public struct ScaleError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
