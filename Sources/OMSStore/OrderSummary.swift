import RedisClient

/// One order as a list shows it: `oms orders`, `oms hold list`, the HTTP API
/// and the dashboard.
public struct OrderSummary: Sendable, Hashable {
    public var id: String
    public var status: String
    public var channel: String
    /// RFC 3339, as stored in `updated_at`.
    public var updated: String
    public var reason: String

    public init(id: String, status: String, channel: String, updated: String, reason: String) {
        self.id = id
        self.status = status
        self.channel = channel
        self.updated = updated
        self.reason = reason
    }

    /// The order of every list: newest change first, then by id.
    public static func newestFirst(_ left: OrderSummary, _ right: OrderSummary) -> Bool {
        left.updated == right.updated ? left.id < right.id : left.updated > right.updated
    }

    /// Every order hash (SCAN, then HMGET in pipelines of 500) with the
    /// given status and channel, newest change first.
    public static func scan(_ redis: any Redis, status: String?, channel: String?) async throws
        -> [OrderSummary] {
        let keys = try await KeyScan.keys(redis, match: "oms:order:{*}")
        var summaries: [OrderSummary] = []
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            let replies = try await redis.pipeline(chunk.map {
                RedisCommand("HMGET", $0, "status", "channel", "updated_at", "reason")
            })
            for (id, reply) in zip(KeyScan.tags(chunk, prefix: "oms:order:"), replies) {
                guard let values = reply.array, values.count == 4, let state = values[0].string else { continue }
                let summary = OrderSummary(id: id, status: state, channel: values[1].string ?? "",
                                           updated: values[2].string ?? "", reason: values[3].string ?? "")
                if let status, summary.status != status { continue }
                if let channel, summary.channel != channel { continue }
                summaries.append(summary)
            }
        }
        return summaries.sorted(by: newestFirst)
    }
}
