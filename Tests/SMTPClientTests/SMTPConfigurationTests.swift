import Testing
@testable import SMTPClient

@Suite("SMTP configuration")
struct SMTPConfigurationTests {
    @Test("STARTTLS is required by default when the URL has a password, else used when offered")
    func startTLSDefault() throws {
        #expect(SMTPConfiguration(url: try SMTPURL("smtp://127.0.0.1:1025")).startTLS == .whenOffered)
        #expect(SMTPConfiguration(url: try SMTPURL("smtp://oms:pw@mail.example:587")).startTLS == .required)
        #expect(SMTPConfiguration(url: try SMTPURL("smtp://oms:pw@127.0.0.1"), startTLS: .never).startTLS == .never)
    }

    @Test("libcurl's URL carries the EHLO name as its path, percent-encoded, and no credentials")
    func transferURL() throws {
        let envelope = try SMTPEnvelope(sender: "a@b.example", recipients: ["c@d.example"])
        let plain = SMTPTransfer(configuration: SMTPConfiguration(url: try SMTPURL("smtp://oms:pw@127.0.0.1:1025")),
                                 envelope: envelope, message: [])
        #expect(plain.url == "smtp://127.0.0.1:1025/")
        #expect(plain.user == "oms" && plain.password == "pw")
        let named = SMTPTransfer(
            configuration: SMTPConfiguration(url: SMTPURL(scheme: .smtps, host: "::1"),
                                             heloDomain: "shop.example\r\nX"),
            envelope: envelope, message: [])
        #expect(named.url == "smtps://[::1]:465/shop.example%0D%0AX")
    }
}
