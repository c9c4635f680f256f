import Notifications

/// What the email composer must make of any event bytes. libFuzzer runs it
/// as the `email` target (fuzz/run); FuzzRegressionTests replays every input
/// it once failed on (fuzz/regressions/email).
///
/// Beyond not crashing: an email it composes is what an SMTP server takes
/// as it is: ASCII only, every line ended by CRLF and at most 998 characters
/// (RFC 5322 2.1.1), and every header line a `Name: value` or a folded
/// continuation, so no event value can start a header or the body.
enum EmailComposerFuzzTarget {
    static let composer: EmailComposer? = try? EmailComposer(
        templates: EmailTemplates(),
        settings: NotificationSettings(from: Mailbox(address: "orders@shop.example", name: "Example Shop"),
                                       replyTo: Mailbox(address: "help@shop.example", name: "Example Shop Help")))

    /// The promises the bytes broke; empty when they held.
    static func check(_ eventJSON: [UInt8]) -> [String] {
        guard let composer else { return ["the built-in templates do not load"] }
        guard case .send(let message)? = try? composer.compose(eventJSON: eventJSON) else { return [] }
        let bytes = message.bytes
        if let byte = bytes.first(where: { $0 >= 0x80 }) { return ["the message holds the non-ASCII byte \(byte)"] }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasSuffix("\r\n") else { return ["the message does not end with CRLF"] }
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        var broken: [String] = []
        var inHeader = true
        for (number, line) in lines.enumerated() {
            let content = line.dropLast()
            if line.last != UInt8(ascii: "\r") || content.contains(UInt8(ascii: "\r")) {
                broken.append("line \(number + 1) is not ended by CRLF alone")
            }
            if content.count > 998 { broken.append("line \(number + 1) has \(content.count) characters") }
            if inHeader, content.isEmpty {
                inHeader = false
            } else if inHeader, !isHeaderLine(content) {
                broken.append("header line \(number + 1) is neither a header nor a folded one: \(String(decoding: content, as: UTF8.self))")
            }
        }
        return broken
    }

    private static func isHeaderLine(_ line: Substring.UTF8View.SubSequence) -> Bool {
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") { return true }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex else { return false }
        return line[..<colon].allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
