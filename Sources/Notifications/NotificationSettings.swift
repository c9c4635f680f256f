import Foundation

/// What the emails say about the shop, fixed at start-up: the sender, an
/// optional Reply-To, the tracking link pattern and the Message-ID domain.
public struct NotificationSettings: Sendable, Hashable {
    /// The example carrier site; a deployment sets its carrier's (e.g. from `OMS_TRACKING_LINK`).
    public static let defaultTrackingLink = "https://track.example/{carrier}/{tracking_number}"

    /// The From header and the SMTP envelope sender. Its display name is the shop's name in the templates.
    public let from: Mailbox
    public let replyTo: Mailbox?
    /// An http(s) URL with `{tracking_number}` and optionally `{carrier}` in it; both are percent-encoded.
    public let trackingLink: String
    /// The right-hand side of every Message-ID: by default `oms.` and the sender's domain.
    public let messageIDDomain: String

    public init(from: Mailbox, replyTo: Mailbox? = nil, trackingLink: String = defaultTrackingLink,
                messageIDDomain: String? = nil) throws(NotificationError) {
        guard trackingLink.hasPrefix("https://") || trackingLink.hasPrefix("http://"),
              trackingLink.contains("{tracking_number}"),
              trackingLink.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && !"\"<>\\`".unicodeScalars.contains($0) })
        else {
            throw .invalidSetting(name: "tracking link", problem: "must be an http(s) URL containing "
                                  + "{tracking_number} (and optionally {carrier}), without spaces or quotes, "
                                  + "such as \(Self.defaultTrackingLink)")
        }
        let domain = messageIDDomain ?? "oms." + (from.address.split(separator: "@").last.map(String.init) ?? "")
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let hostChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".unicodeScalars)
        guard domain.utf8.count <= 253, !labels.isEmpty,
              labels.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(hostChars.contains) }) else {
            throw .invalidSetting(name: "message id domain", problem: "must be a host name such as oms.example.com")
        }
        self.from = from
        self.replyTo = replyTo
        self.trackingLink = trackingLink
        self.messageIDDomain = domain
    }

    /// The shop's name for the templates: the sender's display name, else its domain.
    public var shopName: String {
        from.name.isEmpty ? (from.address.split(separator: "@").last.map(String.init) ?? from.address) : from.name
    }

    /// The tracking link for one parcel.
    public func trackingURL(carrier: String, trackingNumber: String) -> String {
        trackingLink.replacingOccurrences(of: "{carrier}", with: Self.percentEncoded(carrier))
            .replacingOccurrences(of: "{tracking_number}", with: Self.percentEncoded(trackingNumber))
    }

    /// RFC 3986 unreserved characters as they are, every other byte as %XX.
    static func percentEncoded(_ text: String) -> String {
        let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8)
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
