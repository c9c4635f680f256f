import Testing
@testable import RedisClient

@Suite("Redis errors")
struct RedisErrorTests {
    @Test("server error replies are classified by their code", arguments: [
        ("NOSCRIPT No matching script. Please use EVAL.", RedisError.Kind.scriptMissing),
        ("NOAUTH Authentication required.", .authentication),
        ("WRONGPASS invalid username-password pair or user is disabled.", .authentication),
        ("WRONGTYPE Operation against a key holding the wrong kind of value", .server),
        ("ERR unknown command 'NOPE'", .server),
    ])
    func classification(message: String, kind: RedisError.Kind) {
        #expect(RedisError(serverReply: message, command: "GET", endpoint: "127.0.0.1:6379").kind == kind)
    }

    @Test("an unreachable server: where, why, and how to start it")
    func unreachable() {
        let error = RedisError(.unreachable, "Connection refused", command: "connect", endpoint: "127.0.0.1:6390")
        #expect(error.description == "cannot connect to Redis at 127.0.0.1:6390: Connection refused "
                    + "— is redis-server running? (scripts/services up)")
    }

    @Test("a refused password and a missing one read differently")
    func authentication() {
        let refused = RedisError(.authentication, "WRONGPASS invalid username-password pair or user is disabled.",
                                 command: "AUTH", endpoint: "127.0.0.1:6379")
        #expect(refused.description.contains("refused the credentials"))
        let missing = RedisError(.authentication, "NOAUTH Authentication required.", command: "SELECT",
                                 endpoint: "127.0.0.1:6379")
        #expect(missing.description.contains("requires a password"))
    }

    @Test("a lost connection names the command and warns it may have run")
    func connectionLost() {
        let error = RedisError(.connectionLost, "Server closed the connection", command: "SET",
                               endpoint: "127.0.0.1:6379")
        #expect(error.description == "SET: connection to Redis at 127.0.0.1:6379 lost "
                    + "(Server closed the connection); the command may or may not have run")
        #expect(error.breaksConnection)
        #expect(error.isTransient)
    }

    @Test("only socket-level failures drop the connection; only those and refusals are retried")
    func consequences() {
        let server = RedisError(.server, "ERR", command: "GET")
        #expect(!server.breaksConnection && !server.isTransient)
        let auth = RedisError(.authentication, "WRONGPASS", command: "AUTH")
        #expect(!auth.breaksConnection && !auth.isTransient)
        #expect(RedisError(.timeout, "Resource temporarily unavailable", command: "GET").breaksConnection)
        #expect(RedisError(.protocolError, "Protocol error", command: "GET").breaksConnection)
        #expect(RedisError(.unreachable, "Connection refused", command: "connect").isTransient)
    }
}
