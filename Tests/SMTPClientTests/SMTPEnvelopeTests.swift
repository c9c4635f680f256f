import Testing
@testable import SMTPClient

@Suite("SMTP envelope")
struct SMTPEnvelopeTests {
    @Test("plain addresses and the null sender pass")
    func valid() throws {
        let envelope = try SMTPEnvelope(sender: "", recipients: ["buyer@example.com", "ops+orders@shop.example"])
        #expect(envelope.sender == "")
        #expect(envelope.recipients.count == 2)
    }

    @Test("addresses that would break a command are refused without being quoted", arguments: [
        ("orders@shop.example", [String](), "no recipients"),
        ("orders@shop.example\r\nRCPT TO:<x@evil.example>", ["buyer@example.com"],
         "the sender address contains a line break"),
        ("orders@shop.example", ["buyer@example.com", "<buyer@example.com>"],
         "recipient 2 of 2 contains an angle bracket (give the bare address)"),
        ("orders@shop.example", ["buyer@example.com\n"], "recipient 1 of 1 contains a line break"),
        ("orders@shop.example", ["buyer\u{0}@example.com"], "recipient 1 of 1 contains a control character"),
        ("orders@shop.example", [""], "recipient 1 of 1 is empty"),
    ])
    func invalid(sender: String, recipients: [String], why: String) {
        let error = #expect(throws: SMTPError.self) { try SMTPEnvelope(sender: sender, recipients: recipients) }
        #expect(error?.kind == .invalidAddress)
        #expect(error?.text == why)
        #expect(error?.isTransient == false)
        #expect(error?.description.contains("example") == false, "no address in \(String(describing: error))")
    }
}
