import Foundation

/// Where the integration tests find the local servers: the `OMS_*` variables
/// when set (as `scripts/services env` prints them), else the default ports.
enum TestServers {
    static var amqpURL: String {
        ProcessInfo.processInfo.environment["OMS_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/%2F"
    }

    static var redisURL: String {
        ProcessInfo.processInfo.environment["OMS_REDIS_URL"] ?? "redis://127.0.0.1:6379/0"
    }

    /// The checkout's root, for running `scripts/services`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
