import Foundation

/// JSONDecoder's errors in words a publisher can act on, with the field's
/// path (`data.lines[0].sku is required`).
enum DecodingProblem {
    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            "the body is not a JSON object"
        case .typeMismatch(let type, let context):
            "\(path(context.codingPath)) must be \(kind(type))"
        case .valueNotFound(let type, let context):
            "\(path(context.codingPath)) must be \(kind(type)), not null"
        case .dataCorrupted(let context) where context.debugDescription.hasPrefix("must be"):
            "\(path(context.codingPath)) \(context.debugDescription)"
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            "\(path(context.codingPath)) is not valid"
        case .dataCorrupted, .none:
            "the body is not a JSON object"
        case .keyNotFound(let key, let context):
            "\(path(context.codingPath + [key])) is required"
        @unknown default:
            "the body cannot be read"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
