@testable import RedisClient
import Testing

/// A master that became a replica after it ran a write (a failover, or a
/// killed master started again and told it was replaced) cannot WAIT, and
/// the write may be gone with its old role: the step must be tried again,
/// never dead-lettered as a step the store refused.
@Suite("WAIT on a node that is now a replica")
struct RedisReplicaWaitTests {
    @Test("WAIT on a replica is NOREPLICAS, which a worker retries, not the server's ERR that it would dead-letter")
    func waitOnReplica() async throws {
        let master = try await RedisPrivateServer.start()
        defer { master.stop() }
        let replica = try await RedisPrivateServer.start(["--replicaof", "127.0.0.1", "\(master.port)"])
        defer { replica.stop() }
        let connection = try await RedisConnection.connect(url: RedisURL(replica.url))
        let durability = RedisDurability(replicas: 1, timeout: .milliseconds(100), patience: .milliseconds(200))
        let error = await #expect(throws: RedisError.self) { try await connection.waitForReplicas(durability) }
        #expect(error?.message.hasPrefix("NOREPLICAS") == true, "\(String(describing: error))")
        #expect(error?.isRefusal == false)
        await connection.close()
    }
}
