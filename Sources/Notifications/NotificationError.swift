import OMSDomain

/// Why an event that should become an email cannot: the event is bad input, so
/// the worker dead-letters it with `description` as the reason and sends
/// nothing. Retrying can never help. Descriptions name the field and say what
/// to fix; they never repeat an email address or a customer's name.
public enum NotificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON, not an object, or a field of the wrong type.
    case malformedEvent(String)
    /// A field this kind of email cannot be written without.
    case missingField(path: String, eventType: String)
    /// Text that may reach a header (every value a template can use may reach
    /// the subject) and is not safe there.
    case unsafeText(path: String, problem: String)
    /// An email address that cannot go into a header or an SMTP envelope.
    case invalidAddress(path: String, problem: String)
    /// A value that contradicts the rest of the event.
    case inconsistent(path: String, problem: String)
    /// A setting (sender, link pattern, domain) that cannot be used.
    case invalidSetting(name: String, problem: String)

    public var description: String {
        switch self {
        case .malformedEvent(let problem):
            "not a status event: \(problem)"
        case .missingField(let path, let eventType):
            "\(path) is required to write the \(eventType) email"
        case .unsafeText(let path, let problem), .invalidAddress(let path, let problem),
             .inconsistent(let path, let problem):
            "\(path) \(problem)"
        case .invalidSetting(let name, let problem):
            "setting \(name) \(problem)"
        }
    }
}

extension NotificationError {
    /// An event that could not be read.
    init(_ problem: OrderEvent.EventProblem) {
        switch problem {
        case .unreadable(let text): self = .malformedEvent(text)
        case .inconsistent(let path, let text): self = .inconsistent(path: path, problem: text)
        }
    }
}
