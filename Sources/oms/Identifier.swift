import Foundation

/// Ids and SKUs on the command line: refused here with one line, before any
/// server is asked, when they could never name anything.
enum Identifier {
    static func check(_ value: String, _ what: String) throws {
        guard !value.isEmpty, value.count <= 128 else {
            throw CLIError("invalid \(what) '\(value)': must be 1 to 128 characters")
        }
        if let bad = value.unicodeScalars.first(where: {
            $0.properties.isWhitespace || $0.value < 0x20 || $0 == "{" || $0 == "}" || $0 == "*"
        }) {
            let name = bad.properties.isWhitespace || bad.value < 0x20 ? "spaces or control characters" : "'\(bad)'"
            throw CLIError("invalid \(what) '\(value)': must not contain \(name)")
        }
    }
}
