import ConnectionThread
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

actor ThreadBound {
    let executor = ThreadExecutor()
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var threads: Set<UInt> = []
    private(set) var events: [ThreadExecutor.Readiness] = []

    func recordThread() -> Bool {
        threads.insert(UInt(pthread_self()))
        return executor.isCurrent
    }

    var threadCount: Int { threads.count }

    func watch(fd: Int32, timeoutMilliseconds: Int32) {
        executor.watch(ThreadExecutor.SocketWatch(fd: fd, timeoutMilliseconds: timeoutMilliseconds) {
            [weak self] readiness in
            self?.assumeIsolated { $0.record(readiness, fd: fd) }
        })
    }

    private func record(_ readiness: ThreadExecutor.Readiness, fd: Int32) {
        events.append(readiness)
        if readiness == .readable {
            var buffer = [UInt8](repeating: 0, count: 64)
            _ = read(fd, &buffer, buffer.count)
        }
    }
}

/// A pipe standing in for a socket.
struct TestPipe: ~Copyable {
    let readEnd: Int32
    let writeEnd: Int32

    init() {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    func send() {
        var byte: UInt8 = 7
        _ = write(writeEnd, &byte, 1)
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}

@Suite("Thread executor")
struct ThreadExecutorTests {
    @Test("every job of an actor runs on its one dedicated thread")
    func oneThread() async {
        let actor = ThreadBound()
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 { group.addTask { await actor.recordThread() } }
            for await onExecutor in group { #expect(onExecutor) }
        }
        #expect(await actor.threadCount == 1)
        #expect(!actor.executor.isCurrent)
    }

    @Test("a watched socket's handler runs on the actor's thread when data arrives")
    func readable() async throws {
        let actor = ThreadBound()
        let socket = TestPipe()
        await actor.watch(fd: socket.readEnd, timeoutMilliseconds: 10_000)
        socket.send()
        try await Task.sleep(for: .milliseconds(100))
        #expect(await actor.events.contains(.readable))
    }

    @Test("a quiet socket's handler still runs after the timeout, for timers")
    func quiet() async throws {
        let actor = ThreadBound()
        let socket = TestPipe()
        await actor.watch(fd: socket.readEnd, timeoutMilliseconds: 20)
        try await Task.sleep(for: .seconds(1))
        let events = await actor.events
        #expect(events.count >= 3)
        #expect(events.allSatisfy { $0 == .quiet })
    }

    /// Not a speed test: with a 60 s watch timeout, jobs that waited for it
    /// would take minutes; woken ones take milliseconds.
    @Test("a job arriving while the socket is watched runs at once, not after the watch timeout")
    func jobsDoNotWait() async {
        let actor = ThreadBound()
        let socket = TestPipe()
        await actor.watch(fd: socket.readEnd, timeoutMilliseconds: 60_000)
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<20 { _ = await actor.recordThread() }
        #expect(clock.now - started < .seconds(30))
    }
}
