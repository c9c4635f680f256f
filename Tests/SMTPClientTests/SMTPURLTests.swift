import Testing
@testable import SMTPClient

@Suite("SMTP URL")
struct SMTPURLTests {
    @Test("full URL with percent-encoded user and password")
    func fullURL() throws {
        let url = try SMTPURL("smtp://orders%40shop.example:s%40cret%3Ax@mail.shop.example:587")
        #expect(url == SMTPURL(scheme: .smtp, host: "mail.shop.example", port: 587, user: "orders@shop.example",
                               password: "s@cret:x"))
    }

    @Test("default ports: 25 for smtp, 465 for smtps")
    func defaultPorts() throws {
        #expect(try SMTPURL("smtp://127.0.0.1").port == 25)
        #expect(try SMTPURL("smtps://mail.example").port == 465)
        #expect(try SMTPURL("SMTPS://mail.example/") == SMTPURL(scheme: .smtps, host: "mail.example"))
        #expect(try SMTPURL("smtp://127.0.0.1:1025") == SMTPURL(port: 1025))
    }

    @Test("empty credentials mean none")
    func emptyCredentials() throws {
        #expect(try SMTPURL("smtp://:@127.0.0.1") == SMTPURL())
    }

    @Test("an IPv6 host goes in brackets")
    func ipv6() throws {
        let url = try SMTPURL("smtp://[::1]:1025")
        #expect(url == SMTPURL(host: "::1", port: 1025))
        #expect(url.endpoint == "[::1]:1025")
    }

    @Test("description hides the password", arguments: [
        ("smtp://oms:hunter2@127.0.0.1:1025", "smtp://oms:***@127.0.0.1:1025"),
        ("smtps://a%40b:hunter2@mail.example", "smtps://a@b:***@mail.example:465"),
        ("smtp://127.0.0.1", "smtp://127.0.0.1:25"),
    ])
    func hidesPassword(url: String, shown: String) throws {
        let parsed = try SMTPURL(url)
        #expect(parsed.description == shown)
        #expect(!"\(parsed)".contains("hunter2"))
    }

    @Test("bad URLs say what is wrong", arguments: [
        ("127.0.0.1:25", "missing smtp:// or smtps:// scheme"),
        ("http://127.0.0.1", "unknown scheme 'http'"),
        ("smtp://", "missing host"),
        ("smtp://:25", "missing host"),
        ("smtp://127.0.0.1:99999", "bad port '99999' (1-65535)"),
        ("smtp://127.0.0.1:0", "bad port '0' (1-65535)"),
        ("smtp://127.0.0.1:", "bad port '' (1-65535)"),
        ("smtp://127.0.0.1:+25", "bad port '+25' (1-65535)"),
        ("smtp://127.0.0.1/shop.example",
         "unexpected path '/shop.example' (the EHLO name is a setting, not part of the URL)"),
        ("smtp://127.0.0.1?tls=1", "query parameters and fragments are not supported"),
        ("smtp://oms@127.0.0.1", "user without a password (write smtp://user:password@host)"),
        ("smtp://:secret@127.0.0.1", "password without a user (write smtp://user:password@host)"),
        ("smtp://oms:@127.0.0.1", "user 'oms' has an empty password"),
        ("smtp://oms:%zz@127.0.0.1", "bad percent-encoding in the password"),
        ("smtp://::1:25", "IPv6 hosts go in brackets: smtp://[::1]:25"),
        ("smtp://[::1", "unclosed '[' in the host"),
        ("smtp://[mail]:25", "'mail' in brackets is not an IPv6 address"),
        ("smtp://mail example", "bad character in the host 'mail example'"),
        ("smtp://mail%0d.example", "bad character in the host 'mail%0d.example'"),
    ])
    func invalid(url: String, why: String) {
        #expect {
            try SMTPURL(url)
        } throws: { error in
            guard let error = error as? SMTPError else { return false }
            return error.kind == .invalidURL && error.text == why && error.operation == "parse URL"
        }
    }

    @Test("an invalid URL's description shows the expected form")
    func invalidDescription() {
        let error = #expect(throws: SMTPError.self) { try SMTPURL("smtp://") }
        #expect(error?.description
            == "invalid SMTP URL: missing host (expected smtp://[user:password@]host[:port] or smtps://…)")
        #expect(error?.isTransient == false)
    }
}
