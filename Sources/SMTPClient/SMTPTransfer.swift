/// Everything one send asks of libcurl, in Swift types: made by the sender
/// from its configuration and the caller's envelope and message.
struct SMTPTransfer {
    /// `smtp[s]://host:port/ehlo-name`: libcurl takes the EHLO name from the
    /// path, and the local host name when it is empty.
    var url: String
    var useTLS: SMTPConfiguration.STARTTLS
    var user: String?
    var password: String?
    var caBundlePath: String?
    var connectTimeout: Duration
    var timeout: Duration
    var envelope: SMTPEnvelope
    /// CRLF line endings (`MessageBytes.crlfNormalized`).
    var message: [UInt8]

    init(configuration: SMTPConfiguration, envelope: SMTPEnvelope, message: [UInt8]) {
        let url = configuration.url
        let host = url.host.contains(":") ? "[\(url.host)]" : url.host
        let helo = configuration.heloDomain.map(Self.percentEncoded) ?? ""
        self.url = "\(url.scheme.rawValue)://\(host):\(url.port)/\(helo)"
        useTLS = configuration.startTLS
        user = url.user
        password = url.password
        caBundlePath = configuration.caBundlePath
        connectTimeout = configuration.connectTimeout
        timeout = configuration.timeout
        self.envelope = envelope
        self.message = message
    }

    /// Everything but unreserved characters (RFC 3986) as %XX; libcurl
    /// decodes the path, and refuses control characters in it.
    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-._~".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
