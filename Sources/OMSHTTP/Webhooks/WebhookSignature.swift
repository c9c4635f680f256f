import Crypto
import Foundation

/// The signature Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce
/// (`X-WC-Webhook-Signature`) put on a delivery: base64 of HMAC-SHA256 of the
/// raw body, keyed with the shop's webhook secret.
struct WebhookSignature: Sendable {
    /// The secret's bytes; `SymmetricKey` is not `Sendable`, so one is made per use.
    let secret: [UInt8]

    init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    func signature(of body: [UInt8]) -> String {
        Data(code(of: body)).base64EncodedString()
    }

    /// True only for the signature of exactly these bytes; compared in constant time.
    func verifies(_ header: String?, body: [UInt8]) -> Bool {
        guard let header, let given = Data(base64Encoded: header.trimmingCharacters(in: .whitespaces)) else {
            return false
        }
        return ConstantTime.equal(given, code(of: body))
    }

    private func code(of body: [UInt8]) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)))
    }
}
