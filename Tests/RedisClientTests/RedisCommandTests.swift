import Testing
@testable import RedisClient

@Suite("Redis command encoding")
struct RedisCommandTests {
    private func words(_ texts: String...) -> [[UInt8]] {
        texts.map { Array($0.utf8) }
    }

    @Test("strings and integers become their decimal text")
    func mixedArguments() {
        let command = RedisCommand("HSET", "oms:stock:{MUG}", "available", 50, Int64(-7))
        #expect(command.name == "HSET")
        #expect(command.argv() == words("HSET", "oms:stock:{MUG}", "available", "50", "-7"))
        #expect(command.label == "HSET")
    }

    @Test("byte arrays go through unchanged, NUL and CRLF included")
    func binaryArguments() {
        let value: [UInt8] = [0, 13, 10, 255, 36, 42]
        #expect(RedisCommand("SET", "k", value).arguments == [Array("k".utf8), value])
    }

    @Test("empty arguments stay empty words")
    func emptyArgument() {
        #expect(RedisCommand("SET", "k", "").argv() == words("SET", "k", ""))
    }

    @Test("array form equals variadic form")
    func arrayForm() {
        let fields: [any RedisArgument] = ["a", 1, "b", 2]
        #expect(RedisCommand("HSET", arguments: ["k"] + fields) == RedisCommand("HSET", "k", "a", 1, "b", 2))
    }

    @Test("EVALSHA: the SHA, then the key count, keys and arguments; errors name the script")
    func evalSHA() {
        let script = RedisScript(name: "reserve", source: "return 1")
        let command = RedisCommand.evalSHA(script, keys: ["k1", "k2"], arguments: ["order-1", 3])
        #expect(command.argv(scriptSHA: "abc123") == words("EVALSHA", "abc123", "2", "k1", "k2", "order-1", "3"))
        #expect(command.label == "EVALSHA reserve")
    }

    @Test("EVALSHA without keys says so with a zero count")
    func evalSHAWithoutKeys() {
        let command = RedisCommand.evalSHA(RedisScript(name: "noop", source: "return 0"))
        #expect(command.argv(scriptSHA: "f00") == words("EVALSHA", "f00", "0"))
    }
}
