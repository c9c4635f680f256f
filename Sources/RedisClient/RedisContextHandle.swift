import CHiredis
import ConnectionThread
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one owner of a blocking `redisContext *`: connected, authenticated and
/// on its database after the throwing init; freed by `close()`, or by
/// `deinit` as a net. Like hiredis, not thread-safe: only its connection's
/// thread uses it. Once hiredis reports an error on it (`err` set) the
/// context is dead for good: its owner closes it and makes a new one.
final class RedisContextHandle {
    private var context: UnsafeMutablePointer<redisContext>?
    let endpoint: String

    init(url: RedisURL, connectTimeout: Duration, commandTimeout: Duration) throws(RedisError) {
        endpoint = url.endpoint
        ThreadSignals.blockSIGPIPE()
        guard let context = redisConnectWithTimeout(url.host, Int32(url.port), timeval(connectTimeout)) else {
            throw RedisError(.unreachable, "hiredis could not allocate a context", command: "connect",
                             endpoint: endpoint)
        }
        self.context = context
        do throws(RedisError) {
            guard context.pointee.err == 0 else {
                throw RedisError(.unreachable, Self.errorText(context), command: "connect", endpoint: endpoint)
            }
            // Both only set socket options; they fail only on a dead socket.
            _ = redisEnableKeepAlive(context)
            _ = redisSetTimeout(context, timeval(commandTimeout))
            try handshake(url)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    func close() {
        guard let context else { return }
        redisFree(context)
        self.context = nil
    }

    /// Queues a command in hiredis's output buffer; nothing is sent until
    /// `flush` or the first `readReply`, so many appends are one write.
    func append(_ argv: [[UInt8]], command: String) throws(RedisError) {
        let context = try open(command)
        // The words back to back in one buffer, plus a byte so that it is
        // never empty and every pointer into it is valid, even for "".
        var buffer: [UInt8] = []
        buffer.reserveCapacity(argv.reduce(1) { $0 + $1.count })
        for word in argv { buffer.append(contentsOf: word) }
        buffer.append(0)
        let lengths = argv.map(\.count)
        let status = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                var offset = 0
                var words: [UnsafePointer<CChar>?] = lengths.map { length in
                    defer { offset += length }
                    return UnsafePointer(chars.baseAddress! + offset)
                }
                return redisAppendCommandArgv(context, Int32(argv.count), &words, lengths)
            }
        }
        if status != REDIS_OK { throw failure(context, errno: errno, command: command) }
    }

    /// Sends what is queued (the first time) and blocks for the next reply,
    /// at most the command timeout.
    func readReply(command: String) throws(RedisError) -> RedisReply {
        let context = try open(command)
        var reply: UnsafeMutableRawPointer?
        guard redisGetReply(context, &reply) == REDIS_OK, let reply else {
            throw failure(context, errno: errno, command: command)
        }
        // The reply tree is hiredis's: copy it, then free it.
        defer { freeReplyObject(reply) }
        return RedisReply(copying: reply.assumingMemoryBound(to: redisReply.self))
    }

    /// The socket, for the connection thread to watch.
    var socketFD: Int32 { context?.pointee.fd ?? -1 }

    /// Writes everything queued by `append`. The socket blocks, at most the
    /// command timeout per write; the server reads as fast as it can.
    func flush(command: String) throws(RedisError) {
        let context = try open(command)
        var done: Int32 = 0
        while done == 0 {
            if redisBufferWrite(context, &done) != REDIS_OK { throw failure(context, errno: errno, command: command) }
        }
    }

    /// Reads what the socket has (one read, which waits only if nothing is
    /// there: call it when the socket is readable) into the reply parser.
    func receive(command: String) throws(RedisError) {
        let context = try open(command)
        if redisBufferRead(context) != REDIS_OK { throw failure(context, errno: errno, command: command) }
    }

    /// The next reply already received in full, without reading the socket.
    func nextReceivedReply(command: String) throws(RedisError) -> RedisReply? {
        let context = try open(command)
        var reply: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &reply) == REDIS_OK else {
            throw failure(context, errno: errno, command: command)
        }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return RedisReply(copying: reply.assumingMemoryBound(to: redisReply.self))
    }

    /// AUTH (when the URL has a password) and SELECT in one round trip.
    /// SELECT even for database 0: a server that wants a password says so
    /// now (NOAUTH), not at the first command.
    /// AUTH, SELECT, and a PING that a server still loading its dataset
    /// answers with LOADING: such a server is not there yet (`.unreachable`,
    /// which a reconnect waits out), rather than one that refuses every
    /// command it is sent.
    private func handshake(_ url: RedisURL) throws(RedisError) {
        var commands = [RedisCommand("SELECT", url.database), RedisCommand("PING")]
        if let password = url.password {
            let auth = url.user.map { RedisCommand("AUTH", $0, password) } ?? RedisCommand("AUTH", password)
            commands.insert(auth, at: 0)
        }
        for command in commands { try append(command.argv(), command: command.name) }
        for command in commands {
            guard let message = try readReply(command: command.name).errorMessage else { continue }
            if command.name == "AUTH" {
                throw RedisError(.authentication, message, command: "AUTH", endpoint: endpoint)
            }
            if message.hasPrefix("LOADING") {
                throw RedisError(.unreachable, message, command: "connect", endpoint: endpoint)
            }
            throw RedisError(serverReply: message, command: command.name, endpoint: endpoint)
        }
    }

    private func open(_ command: String) throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        guard let context else {
            throw RedisError(.connectionLost, "the context was closed", command: command, endpoint: endpoint)
        }
        return context
    }

    /// `errno` must be read right after the failing call: hiredis reports a
    /// socket timeout only as an I/O error whose errno is EAGAIN.
    private func failure(_ context: UnsafeMutablePointer<redisContext>, errno code: Int32,
                         command: String) -> RedisError {
        let kind: RedisError.Kind = switch context.pointee.err {
        case REDIS_ERR_IO where code == EAGAIN || code == EWOULDBLOCK: .timeout
        case REDIS_ERR_PROTOCOL: .protocolError
        default: .connectionLost
        }
        return RedisError(kind, Self.errorText(context), command: command, endpoint: endpoint)
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// The `timeval` hiredis's module sees is its own copy of the C struct, not
/// the one ConnectionThread extends, so the conversion is repeated here.
private extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
