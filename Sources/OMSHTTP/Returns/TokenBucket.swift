/// A token bucket: up to `capacity` attempts at once, one more every
/// `refill`. A pure value; `RateLimiter` keeps one per client.
struct TokenBucket: Equatable {
    let capacity: Double
    let refill: Duration
    private(set) var tokens: Double
    private(set) var updated: ContinuousClock.Instant

    init(capacity: Int, refill: Duration, now: ContinuousClock.Instant) {
        self.capacity = Double(capacity)
        self.refill = refill
        tokens = Double(capacity)
        updated = now
    }

    /// Takes a token when there is one; false means "too many, wait".
    mutating func take(now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - updated
        tokens = min(capacity, tokens + elapsed / refill)
        updated = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Full again: nothing to remember about this client.
    func isFull(now: ContinuousClock.Instant) -> Bool {
        tokens + (now - updated) / refill >= capacity
    }
}

/// Buckets per client address, in this server's memory: each copy of the
/// server limits on its own, which bounds guessing well enough for a portal.
actor RateLimiter {
    private let capacity: Int
    private let refill: Duration
    private var buckets: [String: TokenBucket] = [:]

    init(capacity: Int, refill: Duration) {
        self.capacity = capacity
        self.refill = refill
    }

    func allows(_ client: String, now: ContinuousClock.Instant = .now) -> Bool {
        if buckets.count > 10_000 { buckets = buckets.filter { !$0.value.isFull(now: now) } }
        var bucket = buckets[client] ?? TokenBucket(capacity: capacity, refill: refill, now: now)
        let allowed = bucket.take(now: now)
        buckets[client] = bucket
        return allowed
    }
}
