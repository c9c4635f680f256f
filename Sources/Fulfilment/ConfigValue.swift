import OMSDomain

/// A value read from a JSON configuration file together with its path, so that
/// every refusal names its place. Each reading method checks one shape and
/// throws a `ConfigurationError` saying what was expected.
struct ConfigValue {
    let value: JSONValue
    let path: String
    let document: String

    static func root(_ bytes: [UInt8], document: String) throws(ConfigurationError) -> ConfigValue {
        guard let value = JSONValue.parse(bytes) else {
            throw ConfigurationError(document: document, path: "", problem: "is not valid JSON")
        }
        return ConfigValue(value: value, path: "", document: document)
    }

    func failure(_ problem: String) -> ConfigurationError {
        ConfigurationError(document: document, path: path, problem: problem)
    }

    /// An object whose keys are all in `allowed` (any key when nil): a misspelt
    /// key is refused rather than silently ignored.
    func object(allowed: Set<String>?) throws(ConfigurationError) -> ConfigObject {
        guard case .object(let fields) = value else { throw failure("must be an object") }
        if let allowed {
            for key in fields.keys.sorted() where !allowed.contains(key) {
                throw ConfigurationError(document: document, path: ConfigObject.join(path, key),
                                         problem: "is not a known field; expected one of "
                                             + allowed.sorted().joined(separator: ", "))
            }
        }
        return ConfigObject(fields: fields, path: path, document: document)
    }

    func array(nonEmpty: Bool = true) throws(ConfigurationError) -> [ConfigValue] {
        guard case .array(let items) = value else { throw failure("must be an array") }
        if nonEmpty && items.isEmpty { throw failure("must not be empty") }
        return items.enumerated().map { index, item in
            ConfigValue(value: item, path: "\(path)[\(index)]", document: document)
        }
    }

    func string() throws(ConfigurationError) -> String {
        guard case .string(let text) = value, !text.isEmpty else { throw failure("must be a non-empty string") }
        return text
    }

    func bool() throws(ConfigurationError) -> Bool {
        guard case .bool(let flag) = value else { throw failure("must be true or false") }
        return flag
    }

    /// A whole number (also written as 500.0) in `range`.
    func integer(_ range: ClosedRange<Int>, meaning: String) throws(ConfigurationError) -> Int {
        let number: Int? = switch value {
        case .integer(let integer): Int(exactly: integer)
        case .number(let double) where double.rounded() == double && abs(double) < 9.0e15: Int(double)
        default: nil
        }
        guard let number, range.contains(number) else {
            throw failure("must be \(meaning) (\(range.lowerBound) to \(range.upperBound))")
        }
        return number
    }

    func country() throws(ConfigurationError) -> String {
        let code = try string()
        guard Country.codes.contains(code) else {
            throw failure("'\(code)' is not an ISO 3166-1 alpha-2 country code")
        }
        return code
    }

    func service() throws(ConfigurationError) -> Order.Shipping.Service {
        let name = try string()
        guard let service = Order.Shipping.Service(rawValue: name) else {
            throw failure("must be one of "
                + Order.Shipping.Service.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(name)'")
        }
        return service
    }
}

/// The fields of a configuration object, read by key with paths kept.
struct ConfigObject {
    let fields: [String: JSONValue]
    let path: String
    let document: String

    /// The keys in a stable order, for maps such as `zones` and `locations`.
    var keys: [String] { fields.keys.sorted() }

    func failure(_ problem: String) -> ConfigurationError {
        ConfigurationError(document: document, path: path, problem: problem)
    }

    func required(_ key: String) throws(ConfigurationError) -> ConfigValue {
        guard let value = optional(key) else {
            throw ConfigurationError(document: document, path: Self.join(path, key), problem: "is required")
        }
        return value
    }

    func optional(_ key: String) -> ConfigValue? {
        fields[key].map { ConfigValue(value: $0, path: Self.join(path, key), document: document) }
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
