import Notifications
import SMTPClient
import WorkerRuntime

/// What notify does with a status event before it stores or sends anything,
/// and how a failed send ends.
enum NotifyStep: Sendable, Hashable {
    /// The event calls for no email.
    case skip
    case send(EmailMessage)
    /// The event cannot be emailed (bad data): a person must look at it.
    case deadLetter(reason: String)

    /// Status events are routed by their type (order.<status>): most send
    /// nothing, which the type says without parsing the body.
    init(eventType: String, body: [UInt8], composer: EmailComposer) {
        if case .noEmail = EmailKind.decision(forEventType: eventType) {
            self = .skip
            return
        }
        do {
            guard case .send(let email) = try composer.compose(eventJSON: body) else {
                self = .skip
                return
            }
            self = .send(email)
        } catch {
            self = .deadLetter(reason: "cannot email this event: \(error)")
        }
    }

    /// Only this email can never go: a 5xx for it, or an address the server
    /// cannot take. A wrong password or TLS setting fails every email alike
    /// and is retried (and logged) until someone fixes it.
    static func outcome(afterFailure error: any Error) -> Outcome {
        if let smtp = error as? SMTPError, smtp.kind == .rejected || smtp.kind == .invalidAddress {
            return .deadLetter(reason: "the mail server refused the email: \(smtp)")
        }
        return .failed(error)
    }
}
