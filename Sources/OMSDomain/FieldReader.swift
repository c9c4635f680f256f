import Foundation

/// Walks a parsed JSON message, reading typed fields and collecting a
/// `ValidationIssue` for every rule broken, with its path.
struct FieldReader {
    private(set) var issues: [ValidationIssue] = []

    mutating func report(_ path: String, _ problem: String) {
        issues.append(ValidationIssue(path: path, problem: problem))
    }

    /// The fields of an object, reporting any key not in `allowed`.
    mutating func object(_ value: JSONValue?, at path: String, allowed: Set<String>,
                         required: Bool = true) -> [String: JSONValue]? {
        guard let value else {
            if required { report(path, "is required") }
            return nil
        }
        guard case .object(let fields) = value else {
            report(path, "must be an object")
            return nil
        }
        for key in fields.keys.sorted() where !allowed.contains(key) {
            report(Self.join(path, key), "is not a known field")
        }
        return fields
    }

    mutating func array(_ value: JSONValue?, at path: String, count: ClosedRange<Int>,
                        required: Bool = true) -> [JSONValue]? {
        guard let value else {
            if required { report(path, "is required") }
            return nil
        }
        guard case .array(let items) = value else {
            report(path, "must be an array")
            return nil
        }
        guard count.contains(items.count) else {
            report(path, "must have \(count.lowerBound) to \(count.upperBound) items")
            return nil
        }
        return items
    }

    mutating func string(_ value: JSONValue?, at path: String, rule: TextRule,
                         required: Bool = true) -> String? {
        guard let value else {
            if required { report(path, "is required") }
            return nil
        }
        guard case .string(let text) = value else {
            report(path, "must be a string")
            return nil
        }
        if let problem = rule.problem(text) {
            report(path, problem)
            return nil
        }
        return text
    }

    mutating func integer(_ value: JSONValue?, at path: String, range: ClosedRange<Int64>, meaning: String,
                          required: Bool = true) -> Int64? {
        guard let value else {
            if required { report(path, "is required") }
            return nil
        }
        guard let number = value.integerValue, range.contains(number) else {
            report(path, "must be \(meaning) (\(range.lowerBound) to \(range.upperBound))")
            return nil
        }
        return number
    }

    mutating func oneOf<Choice: RawRepresentable & CaseIterable>(
        _ value: JSONValue?, at path: String, _ type: Choice.Type, required: Bool = true
    ) -> Choice? where Choice.RawValue == String {
        guard let text = string(value, at: path, rule: .any, required: required) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            report(path, "must be one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return choice
    }

    mutating func timestamp(_ value: JSONValue?, at path: String) -> Date? {
        guard let text = string(value, at: path, rule: .any) else { return nil }
        guard let date = RFC3339.parse(text) else {
            report(path, "must be an RFC 3339 date-time such as 2026-11-22T10:00:00Z")
            return nil
        }
        return date
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
