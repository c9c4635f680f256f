import Testing
@testable import SMTPClient

@Suite("SMTP error classification")
struct SMTPErrorTests {
    // (libcurl result, last reply code, kind): the combinations libcurl 7.88
    // gives against aiosmtpd, see SMTPError.kind(libcurlCode:replyCode:).
    @Test("libcurl's result and the reply code give the kind", arguments: [
        (7, 0, SMTPError.Kind.unreachable),   // COULDNT_CONNECT: nothing listens
        (6, 0, .unreachable),                 // COULDNT_RESOLVE_HOST
        (28, 0, .unreachable),                // OPERATION_TIMEDOUT before any reply
        (28, 250, .transient),                // OPERATION_TIMEDOUT mid-session
        (8, 421, .transient),                 // WEIRD_SERVER_REPLY: 421 greeting
        (55, 451, .transient),                // SEND_ERROR: "RCPT failed: 451"
        (55, 550, .rejected),                 // SEND_ERROR: "RCPT failed: 550"
        (55, 553, .rejected),                 // SEND_ERROR: "MAIL failed: 553"
        (8, 554, .rejected),                  // WEIRD_SERVER_REPLY: 554 after the message
        (8, 452, .transient),                 // WEIRD_SERVER_REPLY: 452 after the message
        (56, 250, .transient),                // RECV_ERROR: connection closed after a 250
        (56, 0, .transient),                  // RECV_ERROR: closed before the greeting
        (52, 0, .transient),                  // GOT_NOTHING
        (55, 530, .authentication),           // SEND_ERROR: "MAIL failed: 530" login required
        (67, 535, .authentication),           // LOGIN_DENIED
        (64, 250, .tls),                      // USE_SSL_FAILED: no STARTTLS offered
        (35, 0, .tls),                        // SSL_CONNECT_ERROR: smtps to a plain port
        (60, 0, .tls),                        // PEER_FAILED_VERIFICATION
        (3, 0, .invalidURL),                  // URL_MALFORMAT
        (27, 0, .library),                    // OUT_OF_MEMORY
        (43, 0, .library),                    // BAD_FUNCTION_ARGUMENT
    ])
    func classification(libcurlCode: Int, replyCode: Int, kind: SMTPError.Kind) {
        #expect(SMTPError.kind(libcurlCode: libcurlCode, replyCode: replyCode) == kind)
    }

    @Test("only unreachable and transient failures are worth retrying unchanged")
    func transience() {
        let kinds: [SMTPError.Kind] = [.invalidURL, .invalidAddress, .unreachable, .transient, .rejected,
                                       .authentication, .tls, .library]
        let transient = kinds.filter { SMTPError($0, "", operation: "send").isTransient }
        #expect(transient == [.unreachable, .transient])
    }

    @Test("a reply code of 0 means none came and is not kept")
    func noReplyCode() {
        let error = SMTPError(libcurlCode: 7, replyCode: 0, text: "Failed to connect", operation: "send",
                              endpoint: "127.0.0.1:1025")
        #expect(error.replyCode == nil)
        #expect(error.libcurlCode == 7)
    }

    @Test("descriptions say what to fix", arguments: [
        (7, 0, "Failed to connect to 127.0.0.1 port 1025 after 0 ms: Couldn't connect to server",
         "SMTP server at 127.0.0.1:1025 refused the connection: is it running? (scripts/services up) "
            + "(Failed to connect to 127.0.0.1 port 1025 after 0 ms: Couldn't connect to server)"),
        (28, 0, "Connection timed out after 5001 milliseconds",
         "SMTP server at 127.0.0.1:1025 did not answer (Connection timed out after 5001 milliseconds): "
            + "is it running, and are host and port right? (scripts/services up)"),
        (55, 451, "RCPT failed: 451",
         "send: SMTP server at 127.0.0.1:1025 deferred the message (451: RCPT failed: 451); try again later"),
        (56, 250, "response reading failed (errno: 115)",
         "send: the connection to SMTP server at 127.0.0.1:1025 broke (250: response reading failed (errno: 115)) "
            + "before it confirmed the message; try again later"),
        (55, 550, "RCPT failed: 550",
         "send: SMTP server at 127.0.0.1:1025 rejected the message for good (550: RCPT failed: 550): check the "
            + "sender and recipient addresses and the message; sending it again will not help"),
        (55, 530, "MAIL failed: 530",
         "SMTP server at 127.0.0.1:1025 requires a login (530: MAIL failed: 530): put user:password in the URL"),
        (67, 535, "Login denied",
         "SMTP server at 127.0.0.1:1025 refused the login (535: Login denied): check the user and password in the URL"),
        (64, 250, "STARTTLS not supported.",
         "SMTP server at 127.0.0.1:1025 does not offer STARTTLS (250: STARTTLS not supported.): use smtps://, "
            + "or startTLS .whenOffered if plain text is acceptable"),
    ])
    func descriptions(libcurlCode: Int, replyCode: Int, text: String, description: String) {
        let error = SMTPError(libcurlCode: libcurlCode, replyCode: replyCode, text: text, operation: "send",
                              endpoint: "127.0.0.1:1025")
        #expect(error.description == description)
    }
}
