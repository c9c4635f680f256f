import Crypto
import Foundation

/// Stateless staff sessions and CSRF tokens, signed with HMAC-SHA256.
///
/// A session cookie is `EXPIRY.SIGNATURE`: the expiry (seconds since 1970)
/// and the HMAC of it. Nothing is stored, so every copy of the server accepts
/// every session. The key comes from `OMS_ADMIN_PASSWORD`, so changing the
/// password ends every session. A CSRF token is the HMAC of what it is bound
/// to (the session cookie, or the sign-in form's nonce cookie), so a page of
/// another site can neither read nor make one.
struct SessionSigner: Sendable {
    static let lifetime: TimeInterval = 12 * 3600
    private let key: [UInt8]

    init(password: String) {
        key = Array(SHA256.hash(data: Array("oms dashboard session key\n\(password)".utf8)))
    }

    func newSession(now: Date) -> String {
        let expiry = String(Int64(now.timeIntervalSince1970 + Self.lifetime))
        return "\(expiry).\(mac("session", expiry))"
    }

    /// True for a cookie this key signed whose expiry is still ahead.
    func isValid(_ session: String?, now: Date) -> Bool {
        guard let session, let dot = session.firstIndex(of: ".") else { return false }
        let expiry = String(session[..<dot])
        guard ConstantTime.equal(Array(session.utf8[session.utf8.index(after: dot)...]),
                                 Array(mac("session", expiry).utf8)),
              let seconds = TimeInterval(expiry) else { return false }
        return seconds > now.timeIntervalSince1970
    }

    func csrfToken(boundTo binding: String) -> String {
        mac("csrf", binding)
    }

    func verifiesCSRF(_ token: String?, boundTo binding: String?) -> Bool {
        guard let token, let binding, !binding.isEmpty else { return false }
        return ConstantTime.equal(Array(token.utf8), Array(csrfToken(boundTo: binding).utf8))
    }

    /// Is the password the configured one; compared in constant time.
    func matches(password given: String, expected: String) -> Bool {
        ConstantTime.equal(Array(SHA256.hash(data: Array(given.utf8))), Array(SHA256.hash(data: Array(expected.utf8))))
    }

    private func mac(_ purpose: String, _ value: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("\(purpose)\n\(value)".utf8),
                                                   using: SymmetricKey(data: key))
        return Data(code).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
