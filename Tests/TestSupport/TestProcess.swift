import Foundation

/// A helper program a test runs to its end (python3 judging a schema, a MIME
/// message, openapi.yaml), on a thread of its own.
///
/// Every test shares the cooperative pool's two threads, and so do the HTTP
/// servers other tests run in this process. A child waited for on that pool
/// holds a thread for as long as it runs, 47 s for one validator on a loaded
/// machine, and two such waits stalled every server until URLSession gave up.
public enum TestProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
    }

    /// Runs `arguments` (the first is looked up on PATH) with `input` on its
    /// standard input and `environment` over this process's; its output is
    /// read once it has exited. Past `timeout` it is sent SIGTERM.
    public static func run(_ arguments: [String], input: [UInt8] = [], environment: [String: String] = [:],
                           timeout: Duration? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                // This thread began with the signal mask of a cooperative-pool
                // thread, which blocks SIGTERM; Foundation's Process passes the
                // mask on, and a child blocking SIGTERM would outlive its timeout.
                var none = sigset_t()
                sigemptyset(&none)
                pthread_sigmask(SIG_SETMASK, &none, nil)
                continuation.resume(with: Swift.Result {
                    try runBlocking(arguments, input: input, environment: environment, timeout: timeout)
                })
            }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], input: [UInt8], environment: [String: String],
                                    timeout: Duration?) throws -> Result {
        // A child that dies before reading its input must fail the test with its
        // message, not end the test process by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oms-test-process-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ["in", "out", "err"].map { folder.appendingPathComponent($0) }
        try Data(input).write(to: files[0])
        for file in files.dropFirst() { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = try FileHandle(forReadingFrom: files[0])
        process.standardOutput = try FileHandle(forWritingTo: files[1])
        process.standardError = try FileHandle(forWritingTo: files[2])
        try process.run()
        if let timeout {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
            if process.isRunning { process.terminate() }
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: Array(try Data(contentsOf: files[1])),
                      stderr: String(decoding: try Data(contentsOf: files[2]), as: UTF8.self))
    }
}
