/// The addresses of one send, checked before any goes into a command.
///
/// libcurl puts each address between angle brackets in MAIL FROM and RCPT
/// TO as it is, so a line break in one would start a command of its own
/// and an angle bracket would end the address early: both are refused here.
/// Anything else is the server's to judge (it answers 5xx: `.rejected`).
struct SMTPEnvelope: Sendable, Hashable {
    /// "" is the null reverse-path, `MAIL FROM:<>` (bounces and notices).
    var sender: String
    var recipients: [String]

    init(sender: String, recipients: [String]) throws(SMTPError) {
        guard !recipients.isEmpty else { throw Self.invalid("no recipients") }
        if let problem = Self.problem(in: sender) { throw Self.invalid("the sender address \(problem)") }
        for (index, recipient) in recipients.enumerated() {
            let problem = recipient.isEmpty ? "is empty" : Self.problem(in: recipient)
            if let problem { throw Self.invalid("recipient \(index + 1) of \(recipients.count) \(problem)") }
        }
        self.sender = sender
        self.recipients = recipients
    }

    /// What makes `address` unusable in a command, never quoting it.
    private static func problem(in address: String) -> String? {
        for scalar in address.unicodeScalars {
            switch scalar {
            case "\r", "\n": return "contains a line break"
            case "<", ">": return "contains an angle bracket (give the bare address)"
            case "\u{0}"..."\u{1F}", "\u{7F}": return "contains a control character"
            default: continue
            }
        }
        return nil
    }

    private static func invalid(_ why: String) -> SMTPError {
        SMTPError(.invalidAddress, why, operation: "check addresses")
    }
}
