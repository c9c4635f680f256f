import Testing
@testable import OMSStore

@Suite("ship-time buckets")
struct DurationBucketsTests {
    @Test("every duration lies between its bucket's lower and upper edge", arguments: [
        0, 1, 2, 19, 20, 21, 999, 1_000, 59_999, 3_600_000, 86_400_000, 2_592_000_000,
    ])
    func edges(milliseconds: Int) {
        let bucket = DurationBuckets.bucket(milliseconds: milliseconds)
        let lower = bucket == 0 ? 0 : DurationBuckets.upperEdge(bucket - 1)
        #expect(lower <= Double(milliseconds) && Double(milliseconds) < DurationBuckets.upperEdge(bucket))
    }

    @Test("each bucket is 5 % wider than the one before, so 30 days take about 450 buckets")
    func widths() {
        for bucket in [10, 100, 400] {
            let ratio = (DurationBuckets.upperEdge(bucket + 1) + 1) / (DurationBuckets.upperEdge(bucket) + 1)
            #expect(abs(ratio - 1.05) < 1e-9)
        }
        #expect((440...450).contains(DurationBuckets.bucket(milliseconds: 30 * 86_400_000)))
        #expect(DurationBuckets.bucket(milliseconds: -5) == 0)
    }

    @Test("buckets never go down as durations grow")
    func monotonic() {
        var previous = 0
        for milliseconds in stride(from: 0, to: 200_000, by: 7) {
            let bucket = DurationBuckets.bucket(milliseconds: milliseconds)
            #expect(bucket >= previous)
            previous = bucket
        }
    }

    @Test("a percentile is the upper edge of the bucket the nearest rank falls in, at most 5 % over")
    func percentiles() throws {
        let durations = (1...100).map { $0 * 60_000 }
        var counts: [Int: Int] = [:]
        for duration in durations { counts[DurationBuckets.bucket(milliseconds: duration), default: 0] += 1 }
        let median = try #require(DurationBuckets.percentile(0.5, of: counts))
        let p95 = try #require(DurationBuckets.percentile(0.95, of: counts))
        #expect(median > 50 * 60_000 && Double(median) <= 50 * 60_000 * 1.05)
        #expect(p95 > 95 * 60_000 && Double(p95) <= 95 * 60_000 * 1.05)
        #expect(DurationBuckets.percentile(1, of: counts)! > 100 * 60_000)
    }

    @Test("one duration is every percentile; none gives none")
    func degenerate() {
        let one = [DurationBuckets.bucket(milliseconds: 1_000): 1]
        #expect(DurationBuckets.percentile(0.5, of: one) == DurationBuckets.percentile(0.95, of: one))
        #expect(DurationBuckets.percentile(0.5, of: [:]) == nil)
    }
}
