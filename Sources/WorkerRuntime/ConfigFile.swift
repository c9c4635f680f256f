import Foundation
import OMSSettings

/// A configuration file named by a setting: its bytes, or an error naming the
/// variable and the file.
public enum ConfigFile {
    /// Nil when the variable is unset: the built-in default applies.
    public static func read(_ setting: Setting<String?>, in environment: Environment = .current) throws -> [UInt8]? {
        guard let path = try setting.value(in: environment) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigFileUnreadable(description: "cannot read \(path) (named by \(setting.variable)): check the path")
        }
        return Array(data)
    }
}

struct ConfigFileUnreadable: Error, CustomStringConvertible {
    var description: String
}
