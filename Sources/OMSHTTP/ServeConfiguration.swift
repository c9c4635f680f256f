import Foundation

/// What `oms serve` is told: where to listen and the secrets each part checks.
/// A part whose secret is missing refuses every request (401), so a server
/// started without configuration exposes nothing.
public struct ServeConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `OMS_API_KEYS`: any one of them opens the API.
    public var apiKeys: [String]
    /// `OMS_SHOPIFY_SECRET`: the key of `X-Shopify-Hmac-Sha256`.
    public var shopifySecret: String?
    /// `OMS_WOOCOMMERCE_SECRET`: the key of `X-WC-Webhook-Signature`.
    public var wooCommerceSecret: String?
    /// `OMS_ADMIN_PASSWORD`: the dashboard's sign-in; also the key that signs
    /// session cookies, so every copy of the server accepts every session and
    /// changing the password signs everybody out.
    public var adminPassword: String?
    /// Request bodies above this are refused with 413.
    public var maximumBodyBytes: Int
    /// `OMS_DOCUMENTS_DIR`, where the stages write labels and packing slips.
    public var documentsDirectory: String

    public init(host: String = "127.0.0.1", port: Int = 8080, apiKeys: [String] = [], shopifySecret: String? = nil,
                wooCommerceSecret: String? = nil, adminPassword: String? = nil, maximumBodyBytes: Int = 1 << 20,
                documentsDirectory: String = "oms-documents") {
        self.host = host
        self.port = port
        self.apiKeys = apiKeys.filter { !$0.isEmpty }
        self.shopifySecret = shopifySecret.flatMap { $0.isEmpty ? nil : $0 }
        self.wooCommerceSecret = wooCommerceSecret.flatMap { $0.isEmpty ? nil : $0 }
        self.adminPassword = adminPassword.flatMap { $0.isEmpty ? nil : $0 }
        self.maximumBodyBytes = maximumBodyBytes
        self.documentsDirectory = documentsDirectory
    }

    /// `OMS_API_KEYS` split at commas, blanks dropped.
    public static func apiKeys(from list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
