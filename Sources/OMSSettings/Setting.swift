/// One setting of an oms process: the `OMS_*` environment variable it is read
/// from, the flag that overrides it, its default, and what a valid value
/// looks like. Reading it refuses a value that does not parse, naming the
/// variable and the value, where a silent fall back to the default would
/// hide a typo until a sales peak.
public struct Setting<Value: Sendable>: Sendable {
    public let variable: String
    /// What the setting is for, one line, for `--help`.
    public let summary: String
    public let defaultValue: Value
    /// The default as `--help` shows it.
    public let defaultText: String
    /// What a valid value looks like, for errors: "a whole number from 1 to 65535".
    public let expected: String
    /// Never shown whole: URLs with a password show `***` in its place.
    public let isSecret: Bool
    let parse: @Sendable (String) -> Value?

    public init(_ variable: String, _ summary: String, default defaultValue: Value, shown defaultText: String,
                expected: String, secret: Bool = false, parse: @escaping @Sendable (String) -> Value?) {
        self.variable = variable
        self.summary = summary
        self.defaultValue = defaultValue
        self.defaultText = defaultText
        self.expected = expected
        self.isSecret = secret
        self.parse = parse
    }

    /// An option's help: summary, variable and default.
    public var help: String {
        "\(summary) (env \(variable); default \(shownDefault))"
    }

    /// A line of a listing of variables: the variable, its default, its summary.
    public var listing: String {
        "\(variable) (default \(shownDefault)): \(summary)"
    }

    private var shownDefault: String { shown(defaultText) }

    /// The text as it may be shown: a secret URL without its password, any
    /// other secret not at all.
    private func shown(_ text: String) -> String {
        guard isSecret else { return text }
        return text.contains("://") ? Redaction.redact(text) : (text.isEmpty ? "none" : "***")
    }

    /// A flag's text when given, else the variable's, else the default.
    public func value(flag: String? = nil, flagName: String? = nil,
                      in environment: Environment = .current) throws(SettingError) -> Value {
        if let flag {
            return try read(flag, source: flagName.map { "--\($0)" } ?? variable)
        }
        guard let text = environment[variable] else { return defaultValue }
        return try read(text, source: variable)
    }

    /// Whether the variable, when set, holds a valid value.
    public func check(in environment: Environment = .current) throws(SettingError) {
        _ = try value(in: environment)
    }

    private func read(_ text: String, source: String) throws(SettingError) -> Value {
        guard let value = parse(text) else {
            throw SettingError(source: source, shown: shown(text), expected: expected, defaultText: shownDefault,
                               variable: variable)
        }
        return value
    }
}

extension Setting where Value == String {
    /// Any non-empty text.
    public static func text(_ variable: String, _ summary: String, default value: String,
                            secret: Bool = false) -> Setting {
        Setting(variable, summary, default: value, shown: value, expected: "any text", secret: secret) { $0 }
    }

    /// A server URL with one of `schemes`; its password is never shown.
    public static func url(_ variable: String, _ summary: String, default value: String,
                           schemes: [String]) -> Setting {
        let expected = "a URL starting " + schemes.map { "\($0)://" }.joined(separator: " or ")
            + ", several separated by commas where a cluster has several nodes"
        return Setting(variable, summary, default: value, shown: value, expected: expected, secret: true) { text in
            let nodes = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return nodes.allSatisfy { node in schemes.contains { node.hasPrefix("\($0)://") } } ? text : nil
        }
    }
}

extension Setting where Value == Int {
    /// A whole number within `range`.
    public static func integer(_ variable: String, _ summary: String, default value: Int,
                               in range: ClosedRange<Int>) -> Setting {
        Setting(variable, summary, default: value, shown: String(value),
                expected: "a whole number from \(range.lowerBound) to \(range.upperBound)") { text in
            Int(text.trimmingCharacters(in: .whitespaces)).flatMap { range.contains($0) ? $0 : nil }
        }
    }
}

extension Setting where Value == String? {
    /// Text, or none: the built-in behaviour applies when it is unset.
    public static func optional(_ variable: String, _ summary: String, expected: String = "a path") -> Setting {
        Setting(variable, summary, default: nil, shown: "none", expected: expected) { $0 }
    }
}
