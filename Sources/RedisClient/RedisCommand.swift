/// A command: its name and binary-safe arguments, sent with
/// `redisAppendCommandArgv`, so any bytes (`\0`, `\r\n`) go through as they are.
///
/// ```swift
/// RedisCommand("HSET", key, "available", 50)
/// RedisCommand.evalSHA(reserve, keys: [stockKey], arguments: [orderID, 2])
/// ```
public struct RedisCommand: Sendable, Hashable {
    public let name: String
    public let arguments: [[UInt8]]
    /// Set by `evalSHA`: the connection sends `EVALSHA <sha>` before `arguments`.
    let script: RedisScript?

    public init(_ name: String, _ arguments: any RedisArgument...) {
        self.init(name, arguments: arguments)
    }

    public init(_ name: String, arguments: [any RedisArgument]) {
        self.init(name: name, arguments: arguments.map(\.redisBytes), script: nil)
    }

    private init(name: String, arguments: [[UInt8]], script: RedisScript?) {
        self.name = name
        self.arguments = arguments
        self.script = script
    }

    /// Runs `script` by SHA; in a pipeline, a NOSCRIPT reply is repaired by
    /// loading the script and running just this entry again.
    public static func evalSHA(_ script: RedisScript, keys: [any RedisArgument] = [],
                               arguments: [any RedisArgument] = []) -> RedisCommand {
        RedisCommand(name: "EVALSHA", arguments: [keys.count.redisBytes] + (keys + arguments).map(\.redisBytes),
                     script: script)
    }

    /// How errors name the command: its name, and the script's for `EVALSHA`.
    var label: String {
        script.map { "\(name) \($0.name)" } ?? name
    }

    /// The words to send; `scriptSHA` is the loaded script's SHA for `evalSHA` commands.
    func argv(scriptSHA: String? = nil) -> [[UInt8]] {
        [Array(name.utf8)] + (scriptSHA.map { [Array($0.utf8)] } ?? []) + arguments
    }

    /// For an `evalSHA` command, `EVAL <source>` instead: runs the script
    /// whether or not the server has it, and leaves it cached there.
    func evalArgv(_ script: RedisScript) -> [[UInt8]] {
        [Array("EVAL".utf8), Array(script.source.utf8)] + arguments
    }
}
