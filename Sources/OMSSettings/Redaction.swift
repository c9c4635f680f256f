/// Passwords out of URLs before they are shown or logged.
public enum Redaction {
    /// `amqp://guest:guest@host/` → `amqp://guest:***@host/`, for each
    /// comma-separated URL; text without a password is returned as it is.
    public static func redact(_ text: String) -> String {
        text.split(separator: ",", omittingEmptySubsequences: false).map(redactOne).joined(separator: ",")
    }

    private static func redactOne(_ url: Substring) -> String {
        guard let scheme = url.range(of: "://") else { return String(url) }
        let authority = url[scheme.upperBound...].prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return String(url)
        }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }
}
