/// Whether an event type is emailed.
public enum EmailDecision: Sendable, Hashable {
    case email(EmailKind)
    case noEmail(NoEmailReason)
}
