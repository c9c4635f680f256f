import ConnectionThread
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One connection to Redis over hiredis.
///
/// Concurrency model: one connection = one actor = one thread. hiredis
/// contexts are not thread-safe and their calls block, so the actor's
/// executor is a dedicated thread (`ThreadExecutor`) and every hiredis call,
/// connect and reconnect wait runs there, never on Swift's cooperative pool.
/// No method suspends once it runs, so concurrent callers are served one
/// whole call at a time, in the order they arrive: each waits for the round
/// trips of the callers before it. Callers that want fewer round trips send
/// many commands at once with `pipeline` (one round trip for all of them).
///
/// Failures: an error reply throws `RedisError` kind `.server` from `send`,
/// and stays in place as `.error` in a pipeline's replies. When the
/// connection breaks while a command is out (server restarted, socket closed,
/// no reply within `commandTimeout`), that command throws `.connectionLost`
/// (or `.timeout`) and the connection is dropped: it may or may not have run,
/// so it is never re-sent. The next command connects again, retrying with
/// backoff (50 ms doubling to 1 s) for up to `reconnectTimeout` before it
/// throws. A server restart therefore costs one command: the one it
/// interrupted or, on an idle connection, the first one after it.
public actor RedisConnection {
    private let executor = ThreadExecutor()
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let url: RedisURL
    private let connectTimeout: Duration
    private let commandTimeout: Duration
    private let reconnectTimeout: Duration
    private let logger: Logger
    private var context: RedisContextHandle?
    private var isClosed = false
    /// Script source to the SHA the server gave for it.
    private var scriptSHAs: [String: String] = [:]

    /// Connects (AUTH and SELECT included), or throws an error that says what
    /// is wrong: nothing listening, credentials refused, bad database.
    ///
    /// `commandTimeout` bounds every reply, so blocking commands (BLPOP…)
    /// must use shorter timeouts of their own.
    public static func connect(url: RedisURL, connectTimeout: Duration = .seconds(2),
                               commandTimeout: Duration = .seconds(5), reconnectTimeout: Duration = .seconds(10),
                               logger: Logger = Logger(label: "oms.redis")) async throws(RedisError)
        -> RedisConnection {
        let connection = RedisConnection(url: url, connectTimeout: connectTimeout, commandTimeout: commandTimeout,
                                         reconnectTimeout: reconnectTimeout, logger: logger)
        try await connection.open()
        return connection
    }

    private init(url: RedisURL, connectTimeout: Duration, commandTimeout: Duration, reconnectTimeout: Duration,
                 logger: Logger) {
        self.url = url
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnectTimeout = reconnectTimeout
        self.logger = logger
    }

    deinit {
        // Here rather than in close(): a stopped executor never runs jobs
        // enqueued later, so a call after close() would wait forever.
        executor.shutdown()
    }

    private func open() throws(RedisError) {
        context = try makeContext()
        logger.debug("connected", metadata: ["url": "\(url)"])
    }

    /// Sends one command and returns its reply. An error reply throws
    /// `RedisError` kind `.server` (`.scriptMissing`, `.authentication` for
    /// NOSCRIPT, NOAUTH and WRONGPASS) naming the command, so the reply may
    /// be ignored safely.
    @discardableResult
    public func send(_ command: RedisCommand) throws(RedisError) -> RedisReply {
        let reply = try pipeline([command])[0]
        if let message = reply.errorMessage {
            throw RedisError(serverReply: message, command: command.label, endpoint: url.endpoint)
        }
        return reply
    }

    /// Runs `script` by SHA, loading it first if this connection has not yet,
    /// and again if the server has lost it.
    @discardableResult
    public func evalSHA(_ script: RedisScript, keys: [any RedisArgument] = [],
                        arguments: [any RedisArgument] = []) throws(RedisError) -> RedisReply {
        try send(.evalSHA(script, keys: keys, arguments: arguments))
    }

    /// Sends every command, then reads every reply: one round trip. Replies
    /// come back in order; error replies stay in place as `.error`.
    ///
    /// `evalSHA` entries whose script the server has lost (NOSCRIPT) are run
    /// again after loading it, once, after the rest of the batch: within a
    /// batch, do not rely on such an entry running before a later command.
    /// Throws only when the connection fails (naming the command whose reply
    /// did not come) or a script does not compile.
    public func pipeline(_ commands: [RedisCommand]) throws(RedisError) -> [RedisReply] {
        guard let first = commands.first else { return [] }
        let context = try connectedContext(for: first.label)
        do {
            return try run(commands, on: context)
        } catch where error.breaksConnection {
            logger.warning("connection lost", metadata: ["error": "\(error)"])
            context.close()
            self.context = nil
            throw error
        }
    }

    /// Closes the connection; every later call throws `.closed`.
    public func close() {
        isClosed = true
        context?.close()
        context = nil
    }

    // MARK: - Commands and scripts

    private func run(_ commands: [RedisCommand], on context: RedisContextHandle) throws(RedisError) -> [RedisReply] {
        try load(commands.compactMap(\.script).filter { scriptSHAs[$0.source] == nil }, on: context)
        var replies = try roundTrip(commands, on: context)
        let lost = replies.indices.filter { commands[$0].script != nil && replies[$0].isNoScript }
        guard !lost.isEmpty else { return replies }
        logger.info("reloading scripts after NOSCRIPT", metadata: ["count": "\(lost.count)"])
        try load(lost.compactMap { commands[$0].script }, on: context)
        let rerun = try roundTrip(lost.map { commands[$0] }, on: context)
        for (index, reply) in zip(lost, rerun) { replies[index] = reply }
        return replies
    }

    /// SCRIPT LOAD for each distinct script, in one round trip.
    private func load(_ scripts: [RedisScript], on context: RedisContextHandle) throws(RedisError) {
        let distinct = Array(Set(scripts))
        guard !distinct.isEmpty else { return }
        let replies = try roundTrip(distinct.map { RedisCommand("SCRIPT", "LOAD", $0.source) }, on: context)
        for (script, reply) in zip(distinct, replies) {
            guard let sha = reply.string else {
                throw RedisError(.server, reply.errorMessage ?? "unexpected reply \(reply)",
                                 command: "SCRIPT LOAD \(script.name)", endpoint: url.endpoint)
            }
            scriptSHAs[script.source] = sha
        }
    }

    private func roundTrip(_ commands: [RedisCommand],
                           on context: RedisContextHandle) throws(RedisError) -> [RedisReply] {
        for command in commands {
            try context.append(command.argv(scriptSHA: command.script.flatMap { scriptSHAs[$0.source] }),
                               command: command.label)
        }
        return try commands.map { command throws(RedisError) in try context.readReply(command: command.label) }
    }

    // MARK: - Connecting again

    private func connectedContext(for command: String) throws(RedisError) -> RedisContextHandle {
        guard !isClosed else {
            throw RedisError(.closed, "the connection was closed", command: command, endpoint: url.endpoint)
        }
        if let context { return context }
        let context = try reconnect(for: command)
        self.context = context
        return context
    }

    /// Blocks this connection's thread between attempts: every caller waits
    /// for the connection anyway, and nothing else runs on the thread.
    private func reconnect(for command: String) throws(RedisError) -> RedisContextHandle {
        let start = ContinuousClock.now
        var backoff = ReconnectBackoff(timeout: reconnectTimeout)
        while true {
            do {
                let context = try makeContext()
                logger.info("reconnected", metadata: ["url": "\(url)"])
                return context
            } catch where error.isTransient {
                guard !Task.isCancelled, let delay = backoff.delay(elapsed: .now - start) else {
                    let gaveUp = Task.isCancelled ? "cancelled" : "still failing after \(reconnectTimeout)"
                    throw RedisError(error.kind, "\(error.message) (\(gaveUp))", command: command,
                                     endpoint: url.endpoint)
                }
                logger.debug("reconnect failed", metadata: ["error": "\(error)"])
                Self.sleep(delay)
            }
        }
    }

    private func makeContext() throws(RedisError) -> RedisContextHandle {
        try RedisContextHandle(url: url, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
    }

    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        while true {
            var request = remaining
            guard nanosleep(&request, &remaining) != 0, errno == EINTR else { return }
        }
    }
}
