/// What the stores ask of Redis, met by one server's `RedisConnection` and
/// by a `RedisCluster`, so the same code runs on either.
public protocol Redis: Sendable {
    /// Sends one command and returns its reply; an error reply throws.
    @discardableResult
    func send(_ command: RedisCommand) async throws(RedisError) -> RedisReply

    /// Sends every command and returns every reply in order; error replies
    /// stay in place as `.error`.
    func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply]

    /// `pipeline`, returning once each server that ran the commands has
    /// them on its replicas as its `durability` asks (`WAIT`), or has too
    /// few replicas connected to wait for (counted in `unreplicatedWrites`,
    /// logged, not thrown: the write stands on the master). Connected
    /// replicas that stay behind make it throw NOREPLICAS (a server error
    /// that passes: the step is retried). For steps that must survive a failover.
    func replicatedPipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply]

    /// How many `replicatedPipeline` calls a server answered before enough
    /// replicas had the writes.
    var unreplicatedWrites: Int { get async }

    /// The servers that hold the keys: this one, or each master of a
    /// cluster. For what acts on one server's keyspace: SCAN, INFO, WAIT.
    func servers() async throws(RedisError) -> [any Redis]

    /// Ends the connections; later calls throw `.closed`.
    func close() async
}

extension Redis {
    /// Runs `script` by SHA, loading it where the server lacks it.
    @discardableResult
    public func evalSHA(_ script: RedisScript, keys: [any RedisArgument] = [],
                        arguments: [any RedisArgument] = []) async throws(RedisError) -> RedisReply {
        try await send(.evalSHA(script, keys: keys, arguments: arguments))
    }
}
