import Foundation

/// Parses a raw message with Python's standard `email` package
/// (`policy.default`), an independent MIME reader: what it decodes is what a
/// mail program shows. Fails (never skips) when python3 cannot be run.
enum PythonMIME {
    struct Parsed: Decodable {
        var isMultipart: Bool
        var contentType: String
        var defects: [String]
        var headerNames: [String]
        var subject: String
        var from: [Address]
        var to: [Address]
        var replyTo: [Address]
        var messageID: String
        var date: String
        var xOMSOrder: String?
        var xOMSEvent: String?
        var parts: [Part]

        struct Address: Decodable {
            var name: String
            var address: String
        }

        struct Part: Decodable {
            var contentType: String
            var charset: String?
            var transferEncoding: String?
            var content: String
        }

        var text: String? { parts.first { $0.contentType == "text/plain" }?.content }
        var html: String? { parts.first { $0.contentType == "text/html" }?.content }
    }

    static let script = #"""
    import sys, json, email
    from email import policy
    msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
    parts = list(msg.iter_parts()) if msg.is_multipart() else []
    defects = [str(d) for d in msg.defects]
    for name in msg.keys():
        defects += ["%s: %s" % (name, d) for d in getattr(msg[name], "defects", ())]
    for p in parts:
        defects += [str(d) for d in p.defects]
    def addresses(name):
        h = msg[name]
        return [] if h is None else [{"name": a.display_name, "address": a.addr_spec} for a in h.addresses]
    print(json.dumps({
        "isMultipart": msg.is_multipart(),
        "contentType": msg.get_content_type(),
        "defects": defects,
        "headerNames": list(msg.keys()),
        "subject": str(msg["subject"]),
        "from": addresses("from"), "to": addresses("to"), "replyTo": addresses("reply-to"),
        "messageID": str(msg["message-id"]),
        "date": msg["date"].datetime.isoformat(),
        "xOMSOrder": msg["x-oms-order"], "xOMSEvent": msg["x-oms-event"],
        "parts": [{"contentType": p.get_content_type(), "charset": p.get_content_charset(),
                   "transferEncoding": p["content-transfer-encoding"], "content": p.get_content()}
                  for p in parts],
    }))
    """#

    static func parse(_ raw: [UInt8]) throws -> Parsed {
        // A python3 that is missing or dies early must fail the test with a message, not kill it by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw TestFailure("cannot run python3 through /usr/bin/env (install python3): \(error)")
        }
        // Python reads all of stdin before it writes, and a message is far smaller than a pipe's
        // buffer, so writing first and reading after cannot block.
        try input.fileHandleForWriting.write(contentsOf: Data(raw))
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("python3 exited \(process.terminationStatus) (is python3 installed?): \(stderr)")
        }
        return try JSONDecoder().decode(Parsed.self, from: stdout)
    }
}
