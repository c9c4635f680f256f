import Foundation
import Mustache

/// Every email's templates, parsed and tried once when loaded, so that a
/// missing or broken template stops the worker at start-up with the file's
/// name, not at the first email.
///
/// The built-in templates come with the package; `overrides` (file name →
/// text, e.g. from `readFolder(_:)` on `OMS_TEMPLATES`) replace any of them
/// one file at a time. Subjects and text parts are rendered as text (values
/// as they are); HTML parts HTML-escape `{{value}}` (use `{{{value}}}` for
/// trusted markup). Partials are not supported: each file stands alone.
public struct EmailTemplates: Sendable {
    /// `order.<status>.<subject|txt|html>.mustache` for every `EmailKind`.
    public static let fileNames: [String] = EmailKind.allCases.flatMap { kind in
        TemplatePart.allCases.map { TemplatePart.fileName(kind, $0) }
    }

    /// The files that came from overrides.
    public let overridden: Set<String>
    private let templates: [String: MustacheTemplate]

    public init(overrides: [String: String] = [:]) throws(TemplateError) {
        let known = Set(Self.fileNames)
        for file in overrides.keys.sorted() where !known.contains(file) {
            throw .unknownFile(file: file, known: Self.fileNames)
        }
        var templates: [String: MustacheTemplate] = [:]
        for kind in EmailKind.allCases {
            for part in TemplatePart.allCases {
                let file = TemplatePart.fileName(kind, part)
                guard let source = overrides[file] ?? Self.builtInSource(file) else { throw .missing(file: file) }
                let template = try Self.parse(source, file: file, asText: part.isText)
                try Self.tryOut(template, kind: kind, part: part, file: file)
                templates[file] = template
            }
        }
        self.templates = templates
        self.overridden = Set(overrides.keys)
    }

    /// The text of a built-in template (to start an override from).
    public static func builtInSource(_ file: String) -> String? {
        BuiltInTemplates.files[file].flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The template files in a folder, for `init(overrides:)`: files named
    /// `order.…` or `….mustache`; anything else (a README, hidden files,
    /// subfolders) is left alone.
    public static func readFolder(_ path: String) throws(TemplateError) -> [String: String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .folder(path: path, problem: (error as NSError).localizedDescription)
        }
        var files: [String: String] = [:]
        for name in names.sorted() where !name.hasPrefix(".") && (name.hasPrefix("order.") || name.hasSuffix(".mustache")) {
            let full = (path as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            guard let data = FileManager.default.contents(atPath: full) else {
                throw .unreadable(file: name, problem: "cannot open \(full)")
            }
            guard let text = String(validating: Array(data), as: UTF8.self) else {
                throw .unreadable(file: name, problem: "is not UTF-8 text")
            }
            files[name] = text
        }
        return files
    }

    /// Renders one part. Subject: one line, blanks around it removed. Bodies:
    /// line ends as LF, ending with exactly one.
    func render(_ kind: EmailKind, _ part: TemplatePart, _ context: [String: Any]) -> String {
        guard let template = templates[TemplatePart.fileName(kind, part)] else { return "" }
        let output = template.render(context)
        if part == .subject { return output.trimmingCharacters(in: .whitespacesAndNewlines) }
        var lines = Substring(Self.withLineFeeds(output))
        while lines.first == "\n" { lines = lines.dropFirst() }
        while let last = lines.last, last.isWhitespace { lines = lines.dropLast() }
        return lines + "\n"
    }

    /// CR LF and lone CR as LF. Scalar by scalar: Foundation's
    /// `replacingOccurrences` goes through NSString and cost a tenth of the
    /// notify stage's CPU.
    static func withLineFeeds(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\r")) else { return text }
        var scalars = String.UnicodeScalarView()
        var afterReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n", afterReturn {
                afterReturn = false
                continue
            }
            afterReturn = scalar == "\r"
            scalars.append(afterReturn ? "\n" : scalar)
        }
        return String(scalars)
    }

    /// swift-mustache escapes for HTML unless told otherwise by the
    /// `CONTENT_TYPE` pragma; text templates get it on a line of its own in
    /// front (a standalone tag: it leaves no text behind), and error line
    /// numbers are given back as in the file.
    private static func parse(_ source: String, file: String, asText: Bool) throws(TemplateError) -> MustacheTemplate {
        let normalised = source.replacingOccurrences(of: "\r\n", with: "\n")
        let prefix = asText ? textPragma + "\n" : ""
        do {
            return try MustacheTemplate(string: prefix + normalised)
        } catch let error as MustacheTemplate.ParserError {
            if String(describing: error.error) == "overflow", let open = unclosedTag(normalised) {
                throw .syntax(file: file, line: open.line, column: open.column, problem: describe(error.error),
                              text: open.text)
            }
            let shift = asText ? 1 : 0
            throw .syntax(file: file, line: max(1, error.context.lineNumber - shift), column: error.context.columnNumber,
                          problem: describe(error.error), text: error.context.line.trimmingCharacters(in: .whitespaces))
        } catch {
            throw .syntax(file: file, line: 1, column: 1, problem: describe(error), text: "")
        }
    }

    /// Where the last `{{` without a `}}` after it starts (line and column from 1), to point at it
    /// rather than at the end of the file, where swift-mustache notices.
    private static func unclosedTag(_ source: String) -> (line: Int, column: Int, text: String)? {
        guard let open = source.range(of: "{{", options: .backwards),
              source[open.upperBound...].range(of: "}}") == nil else { return nil }
        let before = source[..<open.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { source.index(after: $0) } ?? source.startIndex
        let column = source[lineStart..<open.lowerBound].count + 1
        let lineText = source[lineStart...].prefix { $0 != "\n" }
        return (line, column, String(lineText).trimmingCharacters(in: .whitespaces))
    }

    private static let textPragma = "{{% CONTENT_TYPE: TEXT }}"

    /// Renders with a full sample event: an empty result or a subject of more
    /// than one line is a mistake to report now.
    private static func tryOut(_ template: MustacheTemplate, kind: EmailKind, part: TemplatePart,
                               file: String) throws(TemplateError) {
        let output = template.render(SampleEvent.context(kind))
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            throw .unusable(file: file, problem: "renders nothing; an email needs a subject and both parts")
        }
        if part == .subject, trimmed.unicodeScalars.contains(where: { HeaderSafety.isLineBreak($0) || HeaderSafety.isControl($0) }) {
            throw .unusable(file: file, problem: "renders more than one line (or a control character); a subject is one line")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "the closing tag {{/…}} does not match the section it closes"
        case .unfinishedName: "a tag is not finished (a missing }} or a name with characters a tag cannot have)"
        case .expectedSectionEnd: "a section {{#…}} or {{^…}} is never closed"
        case .invalidSetDelimiter: "a set-delimiter tag {{=… …=}} is malformed"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            "template inheritance is used wrongly"
        case .invalidConfigVariableSyntax: "a pragma {{% …}} is malformed"
        case .unrecognisedConfigVariable: "a pragma {{% …}} is not one swift-mustache knows"
        case .none:
            // swift-mustache's reader reports running off the end of the text as "overflow".
            String(describing: error) == "overflow" ? "a tag is not closed (a {{ without its }})" : "\(error)"
        }
    }
}
