/// The three templates of each email: `order.<status>.subject.mustache`,
/// `order.<status>.txt.mustache` and `order.<status>.html.mustache`.
public enum TemplatePart: String, Sendable, Hashable, CaseIterable {
    /// One line of text (surrounding blanks and the file's last line break are dropped).
    case subject
    /// The text/plain part. Rendered as text: `{{value}}` is not HTML-escaped.
    case text = "txt"
    /// The text/html part. `{{value}}` is HTML-escaped, `{{{value}}}` is not.
    case html

    /// Whether values are inserted as they are (subject, text) or HTML-escaped.
    var isText: Bool { self != .html }

    public static func fileName(_ kind: EmailKind, _ part: TemplatePart) -> String {
        "\(kind.eventType).\(part.rawValue).mustache"
    }
}
