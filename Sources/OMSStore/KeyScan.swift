import RedisClient

/// SCAN through a keyspace pattern (so Redis is not blocked), on every master
/// of a cluster; keys whose name ends right after the hash tag only
/// (`oms:order:{ID}`, not its `:history`, `:effects` or `:lease:*`).
public enum KeyScan {
    public static func keys(_ redis: any Redis, match pattern: String) async throws -> [String] {
        var keys: Set<String> = []
        for server in try await redis.servers() {
            try await scan(server, match: pattern, into: &keys)
        }
        return keys.sorted()
    }

    private static func scan(_ server: any Redis, match pattern: String, into keys: inout Set<String>) async throws {
        var cursor = "0"
        repeat {
            let reply = try await server.send(RedisCommand("SCAN", cursor, "MATCH", pattern, "COUNT", 1000))
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                throw StoreError(.unexpectedReply, operation: "scan", "\(reply)")
            }
            cursor = next
            for key in parts[1].array ?? [] {
                if let key = key.string, key.hasSuffix("}") { keys.insert(key) }
            }
        } while cursor != "0"
    }

    /// What sits between the braces of each key: `oms:stock:{MUG-BLUE}` → `MUG-BLUE`.
    public static func tags(_ keys: [String], prefix: String) -> [String] {
        keys.map { String($0.dropFirst(prefix.count + 1).dropLast()) }
    }
}
