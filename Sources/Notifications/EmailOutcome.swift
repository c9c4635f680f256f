/// What an event comes to: an email to send, or a reason to send none.
/// (A bad event is a thrown `NotificationError` instead.)
public enum EmailOutcome: Sendable, Hashable {
    case send(EmailMessage)
    case noEmail(NoEmailReason)
}
