import Foundation

/// A configuration file named by an environment variable: its bytes, or an
/// error naming the variable and the file.
public enum ConfigFile {
    /// Nil when the variable is unset: the built-in default applies.
    public static func read(variable: String) throws -> [UInt8]? {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigFileUnreadable(description: "cannot read \(path) (named by \(variable)): check the path")
        }
        return Array(data)
    }
}

struct ConfigFileUnreadable: Error, CustomStringConvertible {
    var description: String
}
