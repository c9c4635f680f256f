import AMQPClient
import Foundation

/// Connections and names for tests against the shared local broker.
enum AMQPTestSupport {
    /// A heartbeat of 15 s (a broker silent for 30 s is lost): on two loaded
    /// cores a broker starved for over 10 s dropped the tests' own publishers,
    /// which no test here is about. Servers that stop close the socket at once.
    static func configuration(url: String = TestServers.amqpURL, name: String = "oms-tests") throws
        -> AMQPConfiguration {
        AMQPConfiguration(urls: try AMQPURL.list(url), connectionName: name, heartbeat: .seconds(15),
                          connectTimeout: .seconds(2), reconnect: ReconnectPolicy(maximumDelay: .seconds(1)))
    }

    /// Connects (to the first node of a comma-separated list that answers) or
    /// fails the test with what to do about it; never skips.
    static func connect(url: String = TestServers.amqpURL, name: String = "oms-tests") async throws
        -> AMQPConnection {
        do {
            return try await AMQPConnection.connect(try configuration(url: url, name: name))
        } catch {
            throw TestServerMissing(server: "RabbitMQ", url: url, cause: "\(error)")
        }
    }

    static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func quorumQueue(_ name: String, arguments: AMQPTable = [:]) -> AMQPTopology.Queue {
        AMQPTopology.Queue(name, arguments: QueueArgument.quorum + arguments)
    }

}

/// Everything a consumer receives, kept for a test to look at. Iterating the
/// consumer in a task that a timeout cancels would end the stream.
actor Inbox {
    private(set) var deliveries: [AMQPDelivery] = []
    private var reader: Task<Void, Never>?

    init(_ consumer: AMQPConsumer) async {
        reader = Task { [weak self] in
            do {
                for try await delivery in consumer { await self?.append(delivery) }
            } catch {}
        }
    }

    deinit { reader?.cancel() }

    private func append(_ delivery: AMQPDelivery) {
        deliveries.append(delivery)
    }

    /// The deliveries once there are at least `count`, or all there are after `timeout`.
    func wait(for count: Int, timeout: Duration = .seconds(20)) async -> [AMQPDelivery] {
        let deadline = ContinuousClock.now + timeout
        while deliveries.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return deliveries
    }

    /// The first delivery, waiting for it.
    func first(timeout: Duration = .seconds(20)) async -> AMQPDelivery? {
        await wait(for: 1, timeout: timeout).first
    }
}

struct TestServerMissing: Error, CustomStringConvertible {
    var server: String
    var url: String
    var cause: String

    var description: String {
        "\(server) is not answering at \(url) (\(cause)). Start the local servers with `scripts/services up` "
            + "(or `make test`, which does it for you)."
    }
}
