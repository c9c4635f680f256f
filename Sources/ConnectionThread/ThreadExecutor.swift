#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A serial executor that runs every job on one dedicated OS thread, and
/// between jobs watches one socket for its owner.
///
/// rabbitmq-c and hiredis handles are not thread-safe and their calls block, so
/// each connection is an actor whose executor is one of these: the C calls stay
/// off Swift's cooperative pool (two threads on a two-core machine), and the
/// handle is only ever touched from one thread.
///
/// Why the socket wait lives here and not in an actor method: while one of an
/// actor's jobs runs, calls from other tasks queue inside the actor and never
/// reach `enqueue`, so a job blocked in `poll` could not be woken by a publish
/// or an ack. The run loop instead polls the watched socket together with a
/// wake-up pipe that every `enqueue` writes to, runs queued jobs the moment
/// they arrive, and calls the watch's handler (on this thread, between jobs)
/// when the socket is readable or the timeout passes.
public final class ThreadExecutor: SerialExecutor, Sendable {
    /// A socket to watch and what to do when it is readable or quiet.
    public struct SocketWatch: Sendable {
        public var fd: Int32
        /// The handler also runs after this long without data (heartbeats).
        public var timeoutMilliseconds: Int32
        public var handler: @Sendable (Readiness) -> Void
        /// Runs before every wait: where an owner sends in one write what
        /// the jobs and the handler since the last one queued.
        public var flush: (@Sendable () -> Void)?
        /// Input the owner's library has already taken off the socket, which
        /// `poll` cannot see: while it is true the thread only peeks.
        public var hasBufferedInput: (@Sendable () -> Bool)?

        public init(fd: Int32, timeoutMilliseconds: Int32, handler: @escaping @Sendable (Readiness) -> Void,
                    flush: (@Sendable () -> Void)? = nil, hasBufferedInput: (@Sendable () -> Bool)? = nil) {
            self.fd = fd
            self.timeoutMilliseconds = timeoutMilliseconds
            self.handler = handler
            self.flush = flush
            self.hasBufferedInput = hasBufferedInput
        }
    }

    public enum Readiness: Sendable, Equatable {
        /// The socket has data (or an error or hang-up to report).
        case readable
        /// Nothing arrived: the handler runs anyway, for timers.
        case quiet
    }

    private struct State: ~Copyable {
        var jobs: [UnownedJob] = []
        var watch: SocketWatch?
        var stopping = false
        /// The thread is (about to be) blocked in `poll` with nothing queued:
        /// only then does an `enqueue` need to write to the wake-up pipe.
        var isWaiting = false
    }

    private let state = Mutex(State())
    /// Read and write ends of the wake-up pipe.
    private let wakeFD: Int32
    private let signalFD: Int32
    private let thread = Mutex<pthread_t?>(nil)

    public init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe failed: errno \(errno)")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = fds[0]
        signalFD = fds[1]
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            let executor = Unmanaged<ThreadExecutor>.fromOpaque(raw!).takeRetainedValue()
            executor.run()
            return nil
        }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(handle)
    }

    deinit {
        close(wakeFD)
        close(signalFD)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let mustWake = state.withLock { state in
            state.jobs.append(unowned)
            defer { state.isWaiting = false }
            return state.isWaiting
        }
        // A busy thread takes the job on its next turn without a system call.
        if mustWake { signal() }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets `assumeIsolated` succeed in a socket handler, which runs on this
    /// thread between jobs.
    public func checkIsolated() {
        precondition(isCurrent, "not on the connection thread")
    }

    /// True when called from this executor's thread.
    public var isCurrent: Bool {
        guard let thread = thread.withLock({ $0 }) else { return false }
        return pthread_equal(pthread_self(), thread) != 0
    }

    /// Starts, replaces or (with nil) stops watching a socket.
    public func watch(_ watch: SocketWatch?) {
        state.withLock { $0.watch = watch }
        signal()
    }

    /// Lets the thread finish the jobs already queued, then end.
    public func shutdown() {
        state.withLock {
            $0.stopping = true
            $0.watch = nil
        }
        signal()
    }

    private func signal() {
        var byte: UInt8 = 1
        _ = write(signalFD, &byte, 1)
    }

    private func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(wakeFD, &buffer, buffer.count) == buffer.count {}
    }

    private func run() {
        thread.withLock { $0 = pthread_self() }
        let me = asUnownedSerialExecutor()
        while true {
            let (jobs, stopping) = state.withLock { state in
                defer { state.jobs.removeAll(keepingCapacity: true) }
                state.isWaiting = state.jobs.isEmpty
                return (state.jobs, state.stopping)
            }
            for job in jobs { job.runSynchronously(on: me) }
            if stopping, jobs.isEmpty { return }
            // Read after the jobs: one of them may have started watching a new socket.
            let watch = state.withLock { $0.watch }
            watch?.flush?()
            // With jobs just run, or input already buffered, only peek: there is more to do.
            let busy = !jobs.isEmpty || watch?.hasBufferedInput?() == true
            let timeout: Int32 = busy ? 0 : (watch?.timeoutMilliseconds ?? -1)
            if let readiness = wait(for: watch, timeoutMilliseconds: timeout) {
                watch?.handler(readiness)
            }
        }
    }

    /// Blocks until a job arrives (nil), the socket is readable, or the
    /// timeout passes.
    private func wait(for watch: SocketWatch?, timeoutMilliseconds: Int32) -> Readiness? {
        var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        if let watch { fds.append(pollfd(fd: watch.fd, events: Int16(POLLIN), revents: 0)) }
        let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        if fds[0].revents != 0 { drainWakeups() }
        guard watch != nil else { return nil }
        if ready > 0, fds[1].revents != 0 { return .readable }
        return fds[0].revents != 0 && timeoutMilliseconds != 0 ? nil : .quiet
    }
}
