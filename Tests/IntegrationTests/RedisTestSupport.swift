import Foundation
import RedisClient

/// Connections and key names for tests against Redis.
enum RedisTestSupport {
    /// Connects to the shared server (or `url`), or fails the test saying how
    /// to start it; never skips.
    static func connect(url: String = TestServers.redisURL, commandTimeout: Duration = .seconds(5)) async throws
        -> RedisConnection {
        let redisURL = try RedisURL(url)
        do {
            return try await RedisConnection.connect(url: redisURL, connectTimeout: .seconds(2),
                                                     commandTimeout: commandTimeout)
        } catch {
            guard error.kind == .unreachable else { throw error }
            throw TestServerMissing(server: "Redis", url: redisURL.description, cause: "\(error)")
        }
    }

    /// A key prefix no other test, and no other run, uses.
    static func uniqueKey(_ name: String) -> String {
        "test:\(name):\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func bytes(_ text: String) -> RedisReply {
        .string(Array(text.utf8))
    }
}
