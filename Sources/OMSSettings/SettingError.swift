/// A setting whose value cannot be used: says which, what it holds and what
/// it must look like, so the fix is in the message.
public struct SettingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The variable or the flag the value came from.
    public let source: String
    /// The value, with any password replaced by `***`.
    public let shown: String
    public let expected: String
    public let defaultText: String
    public let variable: String

    public var description: String {
        let fix = source == variable ? "; unset it for the default (\(defaultText))" : ""
        return "\(source) is '\(shown)'; it must be \(expected)\(fix)"
    }
}
