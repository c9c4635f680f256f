/// A template that cannot be used, found when the templates are loaded (at
/// start-up), never at the first email. Every case names the file.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A template every email needs is not there (a built-in one missing is a packaging mistake).
    case missing(file: String)
    /// An override file whose name is no template: probably a typo, which would otherwise be ignored.
    case unknownFile(file: String, known: [String])
    /// The file cannot be read, or is not UTF-8.
    case unreadable(file: String, problem: String)
    /// Mustache syntax error, at a line and column of the file.
    case syntax(file: String, line: Int, column: Int, problem: String, text: String)
    /// It parses, but what it renders cannot be used (an empty body, a subject of two lines…).
    case unusable(file: String, problem: String)
    /// The override folder itself cannot be read.
    case folder(path: String, problem: String)

    public var description: String {
        switch self {
        case .missing(let file):
            "template \(file) is missing"
        case .unknownFile(let file, let known):
            "template \(file) is not one oms uses (check the name; known: \(known.joined(separator: ", ")))"
        case .unreadable(let file, let problem):
            "template \(file) cannot be read: \(problem)"
        case .syntax(let file, let line, let column, let problem, let text):
            "template \(file) line \(line), column \(column): \(problem)"
                + (text.isEmpty ? "" : " in \"\(text.prefix(80))\"")
        case .unusable(let file, let problem):
            "template \(file) \(problem)"
        case .folder(let path, let problem):
            "template folder \(path) cannot be read: \(problem)"
        }
    }
}
