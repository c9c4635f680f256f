import Foundation
import TestSupport

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
    static let repositoryRoot = Checkout.root
}

/// Bounds that tell "fails at once" from "hangs", never a speed target. They
/// are wide because the suite runs the demo, the bench, the chaos checker
/// and the cluster tests (several RabbitMQ nodes booting at once, each
/// seconds of CPU) beside these tests on two cores, and a fast failure then
/// waits its turn for a CPU: 15 s was exceeded at 17 s under the bench's
/// load, 45 s at 62 s and 88 s while the clusters booted. A hang never ends.
enum TestBounds {
    static let failsFast: Duration = .seconds(150)
}
