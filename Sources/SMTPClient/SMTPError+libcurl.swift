import CCurl

extension SMTPError {
    /// The failure of one transfer: libcurl's result, the server's last
    /// reply code (0: none came) and libcurl's error text.
    init(libcurlCode: Int, replyCode: Int, text: String, operation: String, endpoint: String) {
        self.init(Self.kind(libcurlCode: libcurlCode, replyCode: replyCode), text,
                  replyCode: replyCode == 0 ? nil : replyCode, libcurlCode: libcurlCode, operation: operation,
                  endpoint: endpoint)
    }

    /// Classifies a failed transfer. libcurl 7.88 reports what the server
    /// refused with a generic result and the reply code beside it (checked
    /// against aiosmtpd):
    ///
    /// | server says / does                   | CURLcode             | reply | kind           |
    /// |--------------------------------------|----------------------|-------|----------------|
    /// | nothing listens                      | 7 COULDNT_CONNECT    | 0     | unreachable    |
    /// | no greeting in time                  | 28 OPERATION_TIMEDOUT| 0     | unreachable    |
    /// | 421 greeting                         | 8 WEIRD_SERVER_REPLY | 421   | transient      |
    /// | 451 to MAIL or RCPT                  | 55 SEND_ERROR        | 451   | transient      |
    /// | 550 to RCPT, 553 to MAIL             | 55 SEND_ERROR        | 5xx   | rejected       |
    /// | 452 / 554 after the message          | 8 WEIRD_SERVER_REPLY | 4xx/5xx | transient / rejected |
    /// | connection closed mid-session        | 56 RECV_ERROR        | last  | transient      |
    /// | 530 to MAIL (login required)         | 55 SEND_ERROR        | 530   | authentication |
    /// | 535 to AUTH                          | 67 LOGIN_DENIED      | 535   | authentication |
    /// | no STARTTLS offered, `.required`     | 64 USE_SSL_FAILED    | 250   | tls            |
    /// | bad certificate, smtps to plain port | 60, 35               | 0     | tls            |
    ///
    /// So: libcurl's own verdicts on login and TLS first (their reply code
    /// is that of an earlier, successful step), then the reply code (4xx
    /// transient, 5xx rejected), then the connection-level results.
    static func kind(libcurlCode: Int, replyCode: Int) -> Kind {
        let code = CURLcode(rawValue: UInt32(clamping: libcurlCode))
        if authenticationCodes.contains(code) { return .authentication }
        if tlsCodes.contains(code) { return .tls }
        if code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL { return .invalidURL }
        switch replyCode {
        case 530, 534, 535, 538: return .authentication
        case 400...499: return .transient
        case 500...599: return .rejected
        default: break
        }
        if unreachableCodes.contains(code) { return .unreachable }
        // A timeout before any reply: nothing answered (a black-holed
        // address, a server that accepts but never greets).
        if code == CURLE_OPERATION_TIMEDOUT { return replyCode == 0 ? .unreachable : .transient }
        if connectionCodes.contains(code) { return .transient }
        return .library
    }

    private static let authenticationCodes: [CURLcode] = [CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR]

    private static let tlsCodes: [CURLcode] = [
        CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
        CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE,
        CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
        CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
    ]

    private static let unreachableCodes: [CURLcode] = [
        CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
    ]

    /// The connection failed after the conversation began.
    private static let connectionCodes: [CURLcode] = [
        CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE,
        CURLE_AGAIN,
    ]

    // The CURLcode values the descriptions tell apart.
    static let couldNotResolveHost = Int(CURLE_COULDNT_RESOLVE_HOST.rawValue)
    static let couldNotConnect = Int(CURLE_COULDNT_CONNECT.rawValue)
    static let starttlsUnavailable = Int(CURLE_USE_SSL_FAILED.rawValue)
}
