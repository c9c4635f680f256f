import Foundation
import Supervision
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// scripts/aiosmtpd-mailbox, the sink `scripts/services` runs for the demo and
/// the tests. A sink killed between storing a message and its 250 makes the
/// client send the message again: the mail-away fault of `oms chaos` stops it
/// with SIGTERM and counts on it finishing what it has begun.
@Suite("The storing mail sink stops without cutting a message short")
struct MailSinkStopTests {
    @Test("SIGTERM in the middle of DATA: the sink stops listening, the message still gets its 250 and is kept, then the sink exits")
    func sigtermDuringData() async throws {
        let port = try LocalPorts.free(1)[0]
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-mail-sink-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = Checkout.script("aiosmtpd-mailbox")
        let pid = try ChildProcess.spawn([SMTPTestServer.python, script, "127.0.0.1:\(port)", directory + "/mail"],
                                         outputPath: directory + "/sink.log", errorPath: directory + "/sink.log")
        defer { kill(pid, SIGKILL) }  // only when a check failed before the sink exited
        let listening = await ChildProcess.waitUntilListening(pid, port: port, timeout: .seconds(15))
        try #require(listening, "the sink did not start: \(Self.log(directory))")

        let session = try SMTPLineSession(port: port)
        #expect(try session.reply().hasPrefix("220"))
        for (command, expected) in [("EHLO test.example", "250"), ("MAIL FROM:<orders@shop.example>", "250"),
                                    ("RCPT TO:<buyer@example.com>", "250"), ("DATA", "354")] {
            try session.send(command)
            let reply = try session.reply()
            try #require(reply.hasPrefix(expected), "\(command): \(reply)")
        }
        try session.send("Subject: begun before the stop\r\n\r\nThe message's body.")

        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while LocalPorts.acceptsConnections(port: port), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!LocalPorts.acceptsConnections(port: port), "still listening after SIGTERM")

        try session.send(".")
        let reply = try session.reply()
        #expect(reply.hasPrefix("250"), "the message's reply: \(reply)")
        #expect(await ChildProcess.exitCode(of: pid) == 0, "\(Self.log(directory))")

        let kept = try FileManager.default.contentsOfDirectory(atPath: directory + "/mail/new")
        #expect(kept.count == 1)
        let message = try kept.first.map { try String(contentsOfFile: directory + "/mail/new/" + $0, encoding: .utf8) }
        #expect(message?.contains("Subject: begun before the stop") == true)
    }

    private static func log(_ directory: String) -> String {
        (try? String(contentsOfFile: directory + "/sink.log", encoding: .utf8)) ?? "(no log)"
    }
}
