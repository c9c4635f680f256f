import OMSDomain
import Testing

@Suite("retention of settled orders")
struct RetentionTests {
    @Test("a whole number with s, m, h or d, or bare seconds", arguments: [
        ("30d", 2_592_000), ("12h", 43_200), ("45m", 2_700), ("3600s", 3_600), ("90", 90), ("0", 0), ("0d", 0),
        ("36500d", 3_153_600_000),
    ])
    func parses(text: String, seconds: Int) {
        #expect(Retention(text)?.seconds == seconds)
    }

    @Test("anything else is refused, and more than 100 years", arguments: [
        "", "d", "-1d", "+5h", "1.5d", "30 d", "30w", "1y", "٣d", "36501d", "999999999999999999d",
        "99999999999999999999d",
    ])
    func refuses(text: String) {
        #expect(Retention(text) == nil)
    }

    @Test("the default is 30 days; 0 keeps orders")
    func defaults() {
        #expect(Retention.standard == Retention("30d"))
        #expect(Retention.keep == Retention("0"))
    }

    @Test("settled statuses are the final ones and delivered")
    func settled() {
        #expect(OrderStatus.allCases.filter(\.isSettled) == [.rejected, .cancelled, .delivered, .refunded])
    }
}
