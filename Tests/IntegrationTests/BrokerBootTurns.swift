/// Tests that start RabbitMQ nodes of their own take turns. A node's boot
/// takes seconds of both cores; in CI, several booting at once beside the
/// rest of the suite starved the shared broker past its 10 s heartbeat, and
/// every test on it failed. One at a time, they run beside the light tests.
actor BrokerBootTurns {
    static let shared = BrokerBootTurns()

    private var taken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` when no other test holds RabbitMQ nodes of its own, or
    /// at once when `startsBroker` is false.
    static func inTurn<T>(startsBroker: Bool, _ body: () async throws -> T) async throws -> T {
        guard startsBroker else { return try await body() }
        await shared.take()
        do {
            let result = try await body()
            await shared.handOver()
            return result
        } catch {
            await shared.handOver()
            throw error
        }
    }

    private func take() async {
        guard taken else {
            taken = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func handOver() {
        if waiting.isEmpty {
            taken = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// Servers a test starts for itself and stops when it is done.
protocol OwnServers: Sendable {
    func stop() async
}

extension OwnServers {
    /// Runs `body` on the servers `start` gives, stopped afterwards whatever
    /// happens; in its turn when they include RabbitMQ nodes.
    static func running(startsBroker: Bool, _ start: () async throws -> Self,
                        _ body: (Self) async throws -> Void) async throws {
        try await BrokerBootTurns.inTurn(startsBroker: startsBroker) {
            let servers = try await start()
            do {
                try await body(servers)
            } catch {
                await servers.stop()
                throw error
            }
            await servers.stop()
        }
    }
}
