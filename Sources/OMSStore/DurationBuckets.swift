import Foundation

/// Durations in milliseconds counted in logarithmic buckets, each 5 % wider
/// than the one before: one small hash covers a millisecond to months (about
/// 450 buckets up to 30 days) and a percentile read from it is at most 5 % over
/// the true one, whatever the spread of the durations. Exact percentiles would
/// need every duration kept; this keeps a count per bucket.
///
/// Bucket `b` holds the durations `d` with `upperEdge(b − 1) ≤ d < upperEdge(b)`,
/// where `upperEdge(b) = 1.05^(b+1) − 1` and the edge below bucket 0 is 0.
public enum DurationBuckets {
    static let growth = 1.05

    /// The bucket of a duration; negative durations count as 0.
    public static func bucket(milliseconds: Int) -> Int {
        let duration = Double(max(0, milliseconds))
        var bucket = Int((log(duration + 1) / log(growth)).rounded(.down))
        // Floating point may put a duration on an edge one bucket off: the edges decide.
        while upperEdge(bucket) <= duration { bucket += 1 }
        while bucket > 0, upperEdge(bucket - 1) > duration { bucket -= 1 }
        return bucket
    }

    /// The duration every one in the bucket is below, in milliseconds.
    public static func upperEdge(_ bucket: Int) -> Double {
        pow(growth, Double(bucket + 1)) - 1
    }

    /// The `fraction` percentile (0.5: the median) of the counted durations:
    /// the upper edge of the bucket holding the duration of that rank (nearest
    /// rank), rounded up to a millisecond. Nil when nothing is counted.
    public static func percentile(_ fraction: Double, of counts: [Int: Int]) -> Int? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (bucket, count) in counts.sorted(by: { $0.key < $1.key }) {
            seen += count
            if seen >= rank { return Int(upperEdge(bucket).rounded(.up)) }
        }
        return nil
    }
}
