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
///
/// Calls are pipelined automatically: a call queues its commands in
/// hiredis's output buffer and waits; after each turn of the thread's jobs
/// everything queued goes out in one write, and replies are handed back in
/// order as they arrive. Concurrent callers (a worker's messages in flight)
/// therefore share writes, reads and wake-ups instead of taking one round
/// trip each, and a lone caller still gets its reply after one round trip.
/// A call's own commands are sent back to back, so `pipeline` is still the
/// way to send many at once.
///
/// Failures: an error reply throws `RedisError` kind `.server` from `send`,
/// and stays in place as `.error` in a pipeline's replies. When the
/// connection breaks while commands are out (server restarted, socket closed,
/// no reply within `commandTimeout`), every call waiting for a reply throws
/// `.connectionLost` (or `.timeout`) and the connection is dropped: those
/// commands may or may not have run, so they are never re-sent. The next
/// command connects again, retrying with backoff (50 ms doubling to 1 s) for
/// up to `reconnectTimeout` before it throws. A server restart therefore
/// costs at most the calls it interrupted; an idle connection notices the
/// close and simply connects again for its next command.
public actor RedisConnection: Redis {
    private let executor = ThreadExecutor()
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let url: RedisURL
    private let connectTimeout: Duration
    private let commandTimeout: Duration
    private let reconnectTimeout: Duration
    public nonisolated let durability: RedisDurability
    public private(set) var unreplicatedWrites = 0
    private let logger: Logger
    private var context: RedisContextHandle?
    private var isClosed = false
    /// Script source to the SHA the server gave for it.
    private var scriptSHAs: [String: String] = [:]
    /// Calls whose commands are queued or sent and whose replies have not all
    /// come, oldest first: replies arrive in this order.
    private var waiting: [WaitingCall] = []

    /// Connects (AUTH and SELECT included), or throws an error that says what
    /// is wrong: nothing listening, credentials refused, bad database.
    ///
    /// `commandTimeout` bounds every reply, so blocking commands (BLPOP…)
    /// must use shorter timeouts of their own.
    public static func connect(url: RedisURL, connectTimeout: Duration = .seconds(2),
                               commandTimeout: Duration = .seconds(5), reconnectTimeout: Duration = .seconds(10),
                               durability: RedisDurability = .none,
                               logger: Logger = Logger(label: "oms.redis")) async throws(RedisError)
        -> RedisConnection {
        let connection = RedisConnection(url: url, connectTimeout: connectTimeout, commandTimeout: commandTimeout,
                                         reconnectTimeout: reconnectTimeout, durability: durability, logger: logger)
        try await connection.open()
        return connection
    }

    private init(url: RedisURL, connectTimeout: Duration, commandTimeout: Duration, reconnectTimeout: Duration,
                 durability: RedisDurability, logger: Logger) {
        self.url = url
        self.durability = durability
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
        adopt(try makeContext())
        logger.debug("connected", metadata: ["url": "\(url)"])
    }

    /// Sends one command and returns its reply. An error reply throws
    /// `RedisError` kind `.server` (`.scriptMissing`, `.authentication` for
    /// NOSCRIPT, NOAUTH and WRONGPASS) naming the command, so the reply may
    /// be ignored safely.
    @discardableResult
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisReply {
        let reply = try await pipeline([command])[0]
        if let message = reply.errorMessage {
            throw RedisError(serverReply: message, command: command.label, endpoint: url.endpoint)
        }
        return reply
    }

    /// Sends every command back to back and returns every reply, in order;
    /// error replies stay in place as `.error`.
    ///
    /// `evalSHA` entries whose script the server has lost (NOSCRIPT) are run
    /// again with the script's source, once, after the rest of the batch:
    /// within a batch, do not rely on such an entry running before a later
    /// command. Throws only when the connection fails (naming the batch's
    /// first command) or a script does not compile.
    public func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<CallResult, Never>) in
            do throws(RedisError) {
                try queue(commands) { continuation.resume(returning: $0) }
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// The commands and their WAIT go out back to back: WAIT covers every
    /// write this connection made before it.
    public func replicatedPipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        guard durability.replicas > 0, !commands.isEmpty else { return try await pipeline(commands) }
        var replies = try await pipeline(commands + [durability.waitCommand])
        if !durability.isMet(by: replies.removeLast()), !(try await waitForLaggingReplicas(durability)) {
            noteUnreplicated(durability)
        }
        return replies
    }

    /// WAIT on this connection alone, for every write it made so far: true
    /// once enough replicas have them, false when too few are connected to
    /// wait for; throws NOREPLICAS when connected ones stay behind.
    func waitForReplicas(_ durability: RedisDurability) async throws(RedisError) -> Bool {
        let reply: RedisReply
        do throws(RedisError) {
            reply = try await send(durability.waitCommand)
        } catch where error.kind == .server && error.message.contains("replica instances") {
            // Failed over since it ran the write, which may be gone with it.
            throw RedisError(.server, "NOREPLICAS \(url.endpoint) became a replica after it ran the write",
                             command: "WAIT", endpoint: url.endpoint)
        }
        if durability.isMet(by: reply) { return true }
        return try await waitForLaggingReplicas(durability)
    }

    /// After a WAIT that timed out. With enough replicas connected, one is
    /// behind (a loaded machine): the write is waited for up to `patience`
    /// more, then refused as NOREPLICAS, since a master killed now would take
    /// it along; the caller retries the step, and every step is idempotent.
    /// With too few connected (a failover, until the old master rejoins)
    /// waiting cannot help: false, and the write stands on the master alone.
    private func waitForLaggingReplicas(_ durability: RedisDurability) async throws(RedisError) -> Bool {
        guard try await onlineReplicas() >= durability.replicas else { return false }
        if durability.isMet(by: try await send(durability.waitCommand(timeout: durability.patience))) { return true }
        throw RedisError(.server, "NOREPLICAS a connected replica was still behind after \(durability.patience)",
                         command: "WAIT", endpoint: url.endpoint)
    }

    /// The replicas INFO replication lists as `state=online`: one still
    /// taking its first copy (an old master rejoining after a failover)
    /// acknowledges nothing until it has it. (ROLE would say it too, but the
    /// workers' ACL user may not run it: it is @dangerous.)
    private func onlineReplicas() async throws(RedisError) -> Int {
        let info = try await send(RedisCommand("INFO", "replication")).string ?? ""
        return info.split(whereSeparator: \.isNewline).filter { line in
            line.hasPrefix("slave") && line.contains(":") && line.contains("state=online")
        }.count
    }

    private func noteUnreplicated(_ durability: RedisDurability) {
        unreplicatedWrites += 1
        durability.warnUnreplicated(logger)
    }

    public func servers() -> [any Redis] {
        [self]
    }

    /// Closes the connection; calls waiting for replies and every later call
    /// throw `.closed`.
    public func close() {
        isClosed = true
        drop(RedisError(.closed, "the connection was closed", command: "", endpoint: url.endpoint))
    }

    // MARK: - Queueing and replies

    private typealias CallResult = Result<[RedisReply], RedisError>

    private struct WaitingCall {
        let commands: [RedisCommand]
        /// Scripts this connection had no SHA for: a `SCRIPT LOAD` for each
        /// went out first, and the commands ran as `EVAL <source>`.
        let loads: [RedisScript]
        var replies: [RedisReply] = []
        let queuedAt: ContinuousClock.Instant
        let complete: (CallResult) -> Void

        var expected: Int { loads.count + commands.count }
    }

    /// Puts the commands in the output buffer (sent after this turn's jobs)
    /// and `complete` in line for their replies.
    private func queue(_ commands: [RedisCommand], bySource: Bool = false,
                       complete: @escaping (CallResult) -> Void) throws(RedisError) {
        let context = try connectedContext(for: commands[0].label)
        let loads = bySource ? [] : Array(Set(commands.compactMap(\.script).filter { scriptSHAs[$0.source] == nil }))
        do {
            for script in loads {
                try context.append(RedisCommand("SCRIPT", "LOAD", script.source).argv(),
                                   command: "SCRIPT LOAD \(script.name)")
            }
            for command in commands {
                try context.append(argv(command, bySource: bySource), command: command.label)
            }
        } catch {
            // Part of the call is in the buffer with nobody waiting for its replies.
            drop(error)
            throw error
        }
        waiting.append(WaitingCall(commands: commands, loads: loads, queuedAt: .now, complete: complete))
    }

    private func argv(_ command: RedisCommand, bySource: Bool) -> [[UInt8]] {
        guard let script = command.script else { return command.argv() }
        guard !bySource, let sha = scriptSHAs[script.source] else { return command.evalArgv(script) }
        return command.argv(scriptSHA: sha)
    }

    /// Runs on the connection thread before it waits; writes nothing when
    /// nothing is queued.
    private func flush() {
        guard let context, let first = waiting.first else { return }
        do {
            try context.flush(command: first.commands[0].label)
        } catch {
            drop(error)
        }
    }

    /// Runs on the connection thread when the socket is readable, or quiet
    /// for a while (to time out a reply that does not come).
    private func serviceSocket(_ readiness: ThreadExecutor.Readiness) {
        guard let context else { return }
        let label = waiting.first?.commands[0].label ?? "read"
        do {
            if readiness == .readable {
                try context.receive(command: label)
                while let reply = try context.nextReceivedReply(command: label) { take(reply) }
            }
            if let oldest = waiting.first, ContinuousClock.now - oldest.queuedAt > commandTimeout {
                drop(RedisError(.timeout, "no reply within \(commandTimeout)", command: oldest.commands[0].label,
                                endpoint: url.endpoint))
            }
        } catch where waiting.isEmpty {
            logger.debug("idle connection closed by the server", metadata: ["error": "\(error)"])
            drop(error)
        } catch {
            drop(error)
        }
    }

    private func take(_ reply: RedisReply) {
        guard !waiting.isEmpty else {
            return drop(RedisError(.protocolError, "a reply nobody asked for", command: "read", endpoint: url.endpoint))
        }
        waiting[0].replies.append(reply)
        guard waiting[0].replies.count == waiting[0].expected else { return }
        finish(waiting.removeFirst())
    }

    private func finish(_ call: WaitingCall) {
        for (script, reply) in zip(call.loads, call.replies) {
            guard let sha = reply.string else {
                return call.complete(.failure(RedisError(.server, reply.errorMessage ?? "unexpected reply \(reply)",
                                                         command: "SCRIPT LOAD \(script.name)", endpoint: url.endpoint)))
            }
            scriptSHAs[script.source] = sha
        }
        let replies = Array(call.replies.dropFirst(call.loads.count))
        let lost = replies.indices.filter { call.commands[$0].script != nil && replies[$0].isNoScript }
        guard !lost.isEmpty else { return call.complete(.success(replies)) }
        logger.info("running scripts again after NOSCRIPT", metadata: ["count": "\(lost.count)"])
        do {
            try queue(lost.map { call.commands[$0] }, bySource: true) { rerun in
                call.complete(rerun.map { rerunReplies in
                    var patched = replies
                    for (index, reply) in zip(lost, rerunReplies) { patched[index] = reply }
                    return patched
                })
            }
        } catch {
            call.complete(.failure(error))
        }
    }

    /// Closes the context and fails every waiting call with `error`, named
    /// after each call's first command.
    private func drop(_ error: RedisError) {
        if context != nil, error.kind != .closed, !waiting.isEmpty {
            logger.warning("connection lost", metadata: ["error": "\(error)"])
        }
        context?.close()
        context = nil
        executor.watch(nil)
        let failed = waiting
        waiting = []
        for call in failed {
            call.complete(.failure(RedisError(error.kind, error.message, command: call.commands[0].label,
                                              endpoint: url.endpoint)))
        }
    }

    // MARK: - Connecting again

    private func connectedContext(for command: String) throws(RedisError) -> RedisContextHandle {
        guard !isClosed else {
            throw RedisError(.closed, "the connection was closed", command: command, endpoint: url.endpoint)
        }
        if let context { return context }
        let context = try reconnect(for: command)
        // A restarted server has lost the scripts. Loaded again in place, on
        // first use, they keep their order within a pipeline; a NOSCRIPT
        // rerun would come after the rest of it.
        scriptSHAs = [:]
        adopt(context)
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

    private func adopt(_ context: RedisContextHandle) {
        self.context = context
        executor.watch(ThreadExecutor.SocketWatch(fd: context.socketFD, timeoutMilliseconds: quietMilliseconds,
                                                  handler: { [weak self] readiness in
                                                      self?.assumeIsolated { $0.serviceSocket(readiness) }
                                                  },
                                                  flush: { [weak self] in self?.assumeIsolated { $0.flush() } }))
    }

    /// How often a quiet socket is checked for replies overdue.
    private var quietMilliseconds: Int32 {
        Int32(max(10, min(250, commandTimeout / .milliseconds(4))))
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
