#if canImport(Glibc)
import Glibc
#endif

/// The process environment as settings see it: a variable set to the empty
/// string counts as unset, so `OMS_X= cmd` restores the default.
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    public static var current: Environment {
        var values: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                values[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return Environment(values)
    }

    public subscript(variable: String) -> String? {
        values[variable]
    }

    /// The variable's value, else `fallback`: for what is not an oms setting
    /// (the state folder of scripts/services, the bench's N and RATE).
    public static func value(_ variable: String, default fallback: String) -> String {
        current[variable] ?? fallback
    }
}
