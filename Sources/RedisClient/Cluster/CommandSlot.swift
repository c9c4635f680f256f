/// The keys of a command, and the one slot they must share on a cluster.
enum CommandSlot {
    /// Commands that name no key: sent to any master.
    static let keyless: Set<String> = [
        "ASKING", "AUTH", "CLIENT", "CLUSTER", "CONFIG", "DBSIZE", "DISCARD", "ECHO", "EXEC", "FLUSHALL", "FLUSHDB",
        "HELLO", "INFO", "KEYS", "MULTI", "PING", "ROLE", "SCAN", "SCRIPT", "SELECT", "TIME", "WAIT",
    ]
    /// Commands whose every argument is a key.
    static let allKeys: Set<String> = ["DEL", "EXISTS", "MGET", "TOUCH", "UNLINK", "WATCH"]

    static func keys(of command: RedisCommand) -> [[UInt8]] {
        let name = command.name.uppercased()
        let args = command.arguments
        if command.script != nil { return scriptKeys(args, countAt: 0) }
        if name == "EVAL" || name == "EVALSHA" { return scriptKeys(args, countAt: 1) }
        if keyless.contains(name) { return [] }
        if allKeys.contains(name) { return args }
        return Array(args.prefix(1))
    }

    /// The slot of the command's keys; nil when it has none. A command whose
    /// keys lie in several slots is refused: no node could run it.
    static func slot(of command: RedisCommand) throws(RedisError) -> Int? {
        try commonSlot(of: keys(of: command), command: command.label)
    }

    static func commonSlot(of keys: [[UInt8]], command: String) throws(RedisError) -> Int? {
        let slots = keys.map(HashSlot.of)
        guard let first = slots.first else { return nil }
        guard slots.allSatisfy({ $0 == first }) else {
            let named = zip(keys, slots).map { "\(String(decoding: $0, as: UTF8.self)) (slot \($1))" }
            throw RedisError(.crossSlot, "keys in different slots: \(named.joined(separator: ", ")); "
                                 + "give them one hash tag {…}", command: command)
        }
        return first
    }

    /// `numkeys` at `countAt`, then the keys.
    private static func scriptKeys(_ args: [[UInt8]], countAt index: Int) -> [[UInt8]] {
        guard args.count > index, let count = Int(String(decoding: args[index], as: UTF8.self)), count > 0 else {
            return []
        }
        return Array(args.dropFirst(index + 1).prefix(count))
    }
}
