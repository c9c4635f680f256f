import Foundation
import TestSupport

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

    static func parse(_ raw: [UInt8]) async throws -> Parsed {
        let result = try await TestProcess.run(["python3", "-c", script], input: raw)
        guard result.status == 0 else {
            throw TestFailure("python3 exited \(result.status) (is python3 installed?): \(result.stderr)")
        }
        return try JSONDecoder().decode(Parsed.self, from: Data(result.stdout))
    }
}
