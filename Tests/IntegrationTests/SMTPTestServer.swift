import Foundation
import SMTPClient
import Supervision
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// An aiosmtpd of one test's own, on a free port with a folder of its own
/// (`mail/{cur,new,tmp}`: each accepted message is one file in `mail/new`,
/// written before the server replies 250). Started with Debian's
/// /usr/bin/python3, which has python3-aiosmtpd; the test fails, saying how
/// to install it, when either is missing.
final class SMTPTestServer: Sendable {
    enum Handler: Sendable, Equatable {
        /// aiosmtpd's own `Mailbox`: Python's maildir writer stores the
        /// message re-serialized, with LF line endings and X-Peer,
        /// X-MailFrom and X-RcptTo added at the end of the headers.
        case mailbox
        /// `Recorder` (below): stores the message exactly as it came off the
        /// wire after dot-unstuffing, CRLF intact, behind X-Peer, X-Helo,
        /// X-MailFrom and X-RcptTo lines of its own; and answers per address:
        /// MAIL from `later…` 451, from `reject…` 553, from `stale…` closes
        /// the connection without a reply unless it is the connection's
        /// first MAIL (a kept connection closed as it is reused); RCPT to `reject…`
        /// 550, to `later…` 451, to `drop…` closes the connection, to
        /// `slow…` answers once the test calls `releaseSlowRecipients()` (or after 2 min); a message
        /// with an `X-Test-Reply: 554` (or `452`) header gets that reply.
        case recorder
        /// `Recorder` behind AUTH PLAIN/LOGIN, required before MAIL.
        case authenticating(user: String, password: String)
    }

    enum Security: Sendable, Equatable {
        case plain
        /// The server offers STARTTLS and requires it before MAIL.
        case startTLS
        /// smtps: TLS from the first byte.
        case implicitTLS
    }

    let port: Int
    let directory: String
    private let handler: Handler
    private let security: Security
    private let processID = Mutex<pid_t?>(nil)

    var mailDirectory: String { "\(directory)/mail" }
    /// The server's self-signed certificate: the CA bundle that trusts it.
    var certificatePath: String { "\(directory)/cert.pem" }
    var url: SMTPURL { SMTPURL(scheme: security == .implicitTLS ? .smtps : .smtp, host: "127.0.0.1", port: port) }

    static let python = "/usr/bin/python3"
    private static let installAiosmtpd =
        "Install it: apt-get install python3 python3-aiosmtpd, or run `scripts/services up`, which does it for you."

    static func start(_ handler: Handler = .mailbox, security: Security = .plain) async throws -> SMTPTestServer {
        try await checkPrerequisites()
        // A free port can be taken by another server before this one binds
        // it (Python takes seconds to start on a loaded machine): a server
        // that cannot start is tried again on another port.
        var attempt = 1
        while true {
            do {
                return try await start(handler, security: security, port: try unclaimedPort())
            } catch let failure as SMTPTestServerMissing where attempt < 3 && failure.cause.contains("already in use") {
                attempt += 1
            }
        }
    }

    /// Ports this process's SMTP test servers were given. Two tests starting
    /// together were once given the same free port, and both talked to the
    /// server that bound it first; a port is given to one server only.
    private static let claimedPorts = Mutex<Set<Int>>([])

    private static func unclaimedPort() throws -> Int {
        for _ in 0..<100 {
            let port = try LocalPorts.free(1)[0]
            if claimedPorts.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw SMTPTestServerMissing(what: "a free port", fix: "Free some of 10000–19999 on 127.0.0.1.",
                                    cause: "100 free ports in a row were already given to other SMTP test servers")
    }

    private static func start(_ handler: Handler, security: Security, port: Int) async throws -> SMTPTestServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-smtp-test-\(UUID().uuidString.prefix(8))").path
        let server = SMTPTestServer(port: port, directory: directory, handler: handler, security: security)
        do {
            for folder in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: "\(server.mailDirectory)/\(folder)",
                                                        withIntermediateDirectories: true)
            }
            try Data(recorderModule.utf8).write(to: URL(fileURLWithPath: "\(directory)/omssmtptest.py"))
            if security != .plain { try await server.makeCertificate() }
            try await server.launch()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(port: Int, directory: String, handler: Handler, security: Security) {
        self.port = port
        self.directory = directory
        self.handler = handler
        self.security = security
    }

    /// Every message the server has accepted so far, in no particular order.
    func messages() throws -> [[UInt8]] {
        let new = "\(mailDirectory)/new"
        return try FileManager.default.contentsOfDirectory(atPath: new).sorted().map {
            Array(try Data(contentsOf: URL(fileURLWithPath: "\(new)/\($0)")))
        }
    }

    /// Lets the recorder answer RCPT to `slow…` addresses, held until now.
    func releaseSlowRecipients() throws {
        try Data().write(to: URL(fileURLWithPath: "\(mailDirectory)/release-slow"))
    }

    /// SIGTERM, then the same server again: same port, same folder.
    func restart() async throws {
        terminate()
        try await launch()
    }

    /// Stops the server and removes its folder; safe to call more than once.
    func stop() {
        terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server, keeping its folder (for a test of a server gone).
    func terminate() {
        processID.withLock { processID in
            guard let pid = processID else { return }
            processID = nil
            TestProcess.terminate(pid)
        }
    }

    private func launch() async throws {
        let pid = try ChildProcess.spawn(command, environment: ["PYTHONPATH": directory, "PYTHONUNBUFFERED": "1"],
                                         outputPath: logPath)
        processID.withLock { $0 = pid }
        guard await ChildProcess.waitUntilListening(pid, port: port, timeout: .seconds(15)),
              await greets(within: .seconds(30)) else {
            terminate()
            throw startFailure()
        }
    }

    /// Whether the server sends its 220 on a connection of the test's own.
    /// Listening is not answering: on a loaded machine a fresh Python server
    /// once took longer than a client's 5-s connect timeout (which covers the
    /// greeting) to greet its first client. The wait reads on a thread of its
    /// own, not the cooperative pool's. An smtps greeting is encrypted, so
    /// that server only has to listen.
    private func greets(within timeout: Duration) async -> Bool {
        guard security != .implicitTLS else { return true }
        let port = port
        return await withCheckedContinuation { continuation in
            Thread {
                let deadline = ContinuousClock.now + timeout
                while ContinuousClock.now < deadline {
                    if let session = try? SMTPLineSession(port: port, receiveTimeoutSeconds: 10),
                       (try? session.reply())?.hasPrefix("220") == true {
                        try? session.send("QUIT")
                        return continuation.resume(returning: true)
                    }
                    usleep(100_000)
                }
                continuation.resume(returning: false)
            }.start()
        }
    }

    private var command: [String] {
        if case .authenticating(let user, let password) = handler {
            return [Self.python, "\(directory)/omssmtptest.py", "127.0.0.1", "\(port)", mailDirectory, user, password]
        }
        let tls: [String] = switch security {
        case .plain: []
        case .startTLS: ["--tlscert", certificatePath, "--tlskey", "\(directory)/key.pem"]
        case .implicitTLS: ["--smtpscert", certificatePath, "--smtpskey", "\(directory)/key.pem"]
        }
        let handlerClass = handler == .mailbox ? "aiosmtpd.handlers.Mailbox" : "omssmtptest.Recorder"
        return [Self.python, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)"] + tls + ["-c", handlerClass,
                                                                                           mailDirectory]
    }

    /// A self-signed certificate for 127.0.0.1, valid for a day.
    private func makeCertificate() async throws {
        do {
            try await ChildProcess.run([
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-keyout", "\(directory)/key.pem", "-out", certificatePath,
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        } catch {
            throw SMTPTestServerMissing(what: "openssl (for a test certificate)",
                                        fix: "Install it: apt-get install openssl",
                                        cause: "\(error)")
        }
    }

    private var logPath: String { "\(directory)/aiosmtpd.log" }

    private func startFailure() -> SMTPTestServerMissing {
        SMTPTestServerMissing(what: "aiosmtpd to start on port \(port)", fix: "Its log is above.",
                              cause: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)")
    }

    /// Fails (never skips) when /usr/bin/python3 or its aiosmtpd is missing.
    private static func checkPrerequisites() async throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SMTPTestServerMissing(what: python, fix: installAiosmtpd,
                                        cause: "no such executable")
        }
        do {
            try await ChildProcess.run([python, "-c", "import aiosmtpd"])
        } catch {
            throw SMTPTestServerMissing(what: "aiosmtpd for \(python)", fix: Self.installAiosmtpd,
                                        cause: "\(error)")
        }
    }

    private static let recorderModule = #"""
        """oms SMTP integration tests: an aiosmtpd handler that keeps messages
        byte for byte and refuses addresses on cue (see SMTPTestServer.swift).
        Run as a script, it serves the same handler behind AUTH."""
        import asyncio
        import itertools
        import os
        import sys
        import time


        class Recorder:
            def __init__(self, mail_dir):
                self.mail_dir = mail_dir
                self.counter = itertools.count()

            @classmethod
            def from_cli(cls, parser, *args):
                if len(args) != 1:
                    parser.error("Recorder takes the maildir")
                return cls(args[0])

            async def handle_MAIL(self, server, session, envelope, address, options):
                session.mails = getattr(session, "mails", 0) + 1
                if address.startswith("stale") and session.mails > 1:
                    server.transport.close()
                    return "421 4.4.2 closed"
                if address.startswith("later"):
                    return "451 4.3.0 sender: try later"
                if address.startswith("reject"):
                    return "553 5.7.1 sender refused"
                envelope.mail_from = address
                envelope.mail_options.extend(options)
                return "250 OK"

            async def handle_RCPT(self, server, session, envelope, address, options):
                if address.startswith("reject"):
                    return "550 5.1.1 no such user"
                if address.startswith("later"):
                    return "451 4.3.0 try later"
                if address.startswith("drop"):
                    server.transport.close()
                    return "250 OK"
                if address.startswith("slow"):
                    release = os.path.join(self.mail_dir, "release-slow")
                    for _ in range(2400):
                        if os.path.exists(release):
                            break
                        await asyncio.sleep(0.05)
                envelope.rcpt_tos.append(address)
                envelope.rcpt_options.extend(options)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                content = envelope.original_content
                if b"\r\nX-Test-Reply: 554\r\n" in b"\r\n" + content:
                    return "554 5.6.0 message refused"
                if b"\r\nX-Test-Reply: 452\r\n" in b"\r\n" + content:
                    return "452 4.3.1 insufficient storage"
                head = "X-Peer: {}\r\nX-Helo: {}\r\nX-MailFrom: {}\r\nX-RcptTo: {}\r\n".format(
                    session.peer, session.host_name, envelope.mail_from, ", ".join(envelope.rcpt_tos)).encode()
                name = "{}.{}.{}".format(time.time_ns(), os.getpid(), next(self.counter))
                temporary = os.path.join(self.mail_dir, "tmp", name)
                with open(temporary, "wb") as file:
                    file.write(head + content)
                os.rename(temporary, os.path.join(self.mail_dir, "new", name))
                return "250 OK"


        if __name__ == "__main__":
            from aiosmtpd.controller import Controller
            from aiosmtpd.smtp import AuthResult

            host, port, mail_dir, user, password = sys.argv[1:]

            def authenticate(server, session, envelope, mechanism, data):
                ok = data.login == user.encode() and data.password == password.encode()
                return AuthResult(success=ok, handled=False)

            controller = Controller(Recorder(mail_dir), hostname=host, port=int(port),
                                    authenticator=authenticate, auth_required=True, auth_require_tls=False)
            controller.start()
            while True:
                time.sleep(3600)
        """#
}

struct SMTPTestServerMissing: Error, CustomStringConvertible {
    var what: String
    var fix: String
    var cause: String

    var description: String {
        "the SMTP tests need \(what), which failed: \(cause)\n\(fix)"
    }
}
