import AMQPClient
import Foundation
import OMSContract
import Supervision
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// notify against a mail server that refuses or stalls (scripts/fault-smtp-sink,
/// whose answer a test sets while it runs): bounded timeouts, retries with
/// backoff, 5xx dead-lettered with the reason, never two emails for one event.
@Suite("Guarantee: a slow or refusing mail server costs time, never an email or a second one")
struct NotifyFaultTests {
    @Test("4xx: retried with backoff until the server takes it, then one email")
    func temporaryRefusal() async throws {
        let sink = try await FaultSink.start(mode: "reply 451 4.3.0 try again later")
        defer { sink.stop() }
        let pipeline = try await PipelineHarness.start("mail451")
        let worker = try notify(pipeline, sink, retryDelays: "500,1000,1000,1000,1000,1000,1000,1000")
        try await NotifyTests.publish(NotifyTests.event(orderID: "t451-\(pipeline.vhost.suffix(8))"), pipeline)
        #expect(try await pipeline.wait(timeout: .seconds(30)) { sink.attempts >= 2 })
        try sink.set("accept")
        #expect(try await pipeline.wait(timeout: .seconds(30)) { try await Mail.read(sink.newMail).count == 1 })
        try await Task.sleep(for: .seconds(2))
        #expect(try await Mail.read(sink.newMail).count == 1)
        await pipeline.stop([worker])
    }

    @Test("5xx: dead-lettered at once with the server's answer, nothing sent, the worker goes on")
    func permanentRefusal() async throws {
        let sink = try await FaultSink.start(mode: "reply 550 5.1.1 mailbox unavailable")
        defer { sink.stop() }
        let pipeline = try await PipelineHarness.start("mail550")
        let worker = try notify(pipeline, sink)
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        try await NotifyTests.publish(NotifyTests.event(orderID: "t550-\(pipeline.vhost.suffix(8))"), pipeline)
        let letters = await dead.wait(for: 1)
        #expect(letters.first?.headers[Headers.stage] == "notify")
        #expect(letters.first?.headers[Headers.error]?.string?.contains("550") == true, "\(letters)")
        #expect(sink.attempts == 1)
        try sink.set("accept")
        try await NotifyTests.publish(NotifyTests.event(orderID: "t550ok-\(pipeline.vhost.suffix(8))"), pipeline)
        #expect(try await pipeline.wait(timeout: .seconds(20)) { try await Mail.read(sink.newMail).count == 1 })
        await pipeline.stop([worker])
    }

    @Test("a server that stalls past OMS_SMTP_TIMEOUT: the send gives up in time, is retried, one email arrives")
    func stall() async throws {
        let sink = try await FaultSink.start(mode: "stall 10")
        defer { sink.stop() }
        let pipeline = try await PipelineHarness.start("mailstall")
        let worker = try notify(pipeline, sink, retryDelays: "1000,1000,1000,1000,1000,1000",
                                environment: ["OMS_SMTP_TIMEOUT": "2"])
        try await NotifyTests.publish(NotifyTests.event(orderID: "tstall-\(pipeline.vhost.suffix(8))"), pipeline)
        #expect(try await pipeline.wait(timeout: .seconds(30)) { worker.log.contains("retrying later") })
        try sink.set("accept")
        #expect(try await pipeline.wait(timeout: .seconds(30)) { try await Mail.read(sink.newMail).count == 1 })
        // Told by the sink rather than timed here: when the stall ended, the
        // worker had already hung up (its 2 s timeout), so nothing was stored.
        #expect(try await pipeline.wait(timeout: .seconds(30)) { !sink.stallEnds.isEmpty })
        #expect(sink.stallEnds.allSatisfy { $0 == "left" }, "the send gave up at the 2 s timeout, before the 10 s stall ended")
        #expect(try await Mail.read(sink.newMail).count == 1, "the stalled attempt stored nothing")
        await pipeline.stop([worker])
    }

    private func notify(_ pipeline: PipelineHarness, _ sink: FaultSink, retryDelays: String? = nil,
                        environment: [String: String] = [:]) throws -> WorkerProcess {
        var settings = ["OMS_SMTP_URL": "smtp://127.0.0.1:\(sink.port)", "OMS_MAIL_FROM": "orders@shop.example",
                        "OMS_LOG_LEVEL": "info"]
        if let retryDelays { settings["OMS_RETRY_DELAYS_MS"] = retryDelays }
        return try pipeline.startWorker(.notify, environment: settings.merging(environment) { _, new in new })
    }
}

/// scripts/fault-smtp-sink on a free port, with a maildir and a mode file of its own.
struct FaultSink {
    let port: Int
    let directory: String
    let pid: pid_t

    var newMail: String { directory + "/mail/new" }
    var attempts: Int {
        ((try? String(contentsOfFile: directory + "/mail/attempts", encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    /// How each stall ended: "left" (the client had hung up) or "stayed".
    var stallEnds: [String] {
        ((try? String(contentsOfFile: directory + "/mail/stalls", encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    static func start(mode: String) async throws -> FaultSink {
        let port = try LocalPorts.free(1)[0]
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-fault-sink-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try mode.write(toFile: directory + "/mode", atomically: true, encoding: .utf8)
        let script = Checkout.script("fault-smtp-sink")
        let pid = try ChildProcess.spawn([script, "\(port)", directory + "/mail", directory + "/mode"],
                                         outputPath: directory + "/sink.log")
        let sink = FaultSink(port: port, directory: directory, pid: pid)
        guard await ChildProcess.waitUntilListening(pid, port: port, timeout: .seconds(30)) else {
            throw ChildProcessFailed(command: ["fault-smtp-sink"], status: 1,
                                     output: (try? String(contentsOfFile: directory + "/sink.log", encoding: .utf8)) ?? "")
        }
        return sink
    }

    func set(_ mode: String) throws {
        try mode.write(toFile: directory + "/mode", atomically: true, encoding: .utf8)
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
