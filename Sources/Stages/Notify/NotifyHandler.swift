import Metrics
import Notifications
import OMSStore
import WorkerRuntime

/// Emails the customer for each status event that calls for one.
///
/// Exactly one email per (order, event) in normal operation: the marker
/// `email:<event>` is written on the order only after the SMTP server
/// accepted the message, and an event whose marker is set sends nothing.
/// While one delivery sends, it holds a short lease, so a copy of the same
/// event delivered at the same moment waits (retry) and then finds the
/// marker. A crash in the window between the server's acceptance and the
/// marker sends that email again on redelivery, with the same Message-ID, so
/// a mail system downstream can recognise the resend. Nothing is silent: every
/// event ends sent, suppressed as a duplicate, skipped (no email for it),
/// retried (SMTP away or 4xx) or dead-lettered with the reason (bad data,
/// 5xx), and each is counted in `oms_emails_total{event,outcome}`. A sent
/// email is also counted for `oms report` (emails per event type), once per
/// (order, event): again when the marker is found set, in case a crash came
/// between the marker and the count.
public struct NotifyHandler: StageHandler {
    let composer: EmailComposer
    let mailer: any Mailer
    let orders: any OrderRecords
    /// Longer than one send can take (the SMTP timeout, 30 s; the lease is
    /// taken when a sender is free, so waiting for one does not count), short
    /// enough that the events a crashed worker held are sent soon after.
    static let lease = Duration.seconds(35)

    public init(composer: EmailComposer, mailer: any Mailer, orders: any OrderRecords) {
        self.composer = composer
        self.mailer = mailer
        self.orders = orders
    }

    public func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        // The routing key is the event's type, which labels the counts.
        let eventType = message.routingKey
        let email: EmailMessage
        switch NotifyStep(eventType: eventType, body: message.body, composer: composer) {
        case .skip:
            count(eventType, "skipped")
            return .done([])
        case .deadLetter(let reason):
            count(eventType, "failed")
            return .deadLetter(reason: reason)
        case .send(let composed):
            email = composed
        }
        var context = context
        context.identify(orderID: email.orderID)
        let marker = Effect.email(email.eventType)
        do {
            switch try await leasedSend(email, marker: marker) {
            case .alreadyDone:
                try await orders.tally(orderID: email.orderID, .emailSent(eventType: email.eventType))
                count(eventType, "duplicate_suppressed")
            case .heldByAnother:
                count(eventType, "retried")
                return .retry(reason: "another delivery of this event is sending its email")
            case .claimed:
                try await recordSent(email, marker: marker)
                count(eventType, "sent")
            }
            return .done([])
        } catch {
            let outcome = NotifyStep.outcome(afterFailure: error)
            count(eventType, outcome.isDeadLetter ? "failed" : "retried")
            return outcome
        }
    }

    /// Sends under the event's lease, taken only once a sender is free, so
    /// that waiting for a sender does not use up the lease: `.claimed` when
    /// this call sent the email.
    private func leasedSend(_ email: EmailMessage, marker: String) async throws -> LeaseClaim {
        try await mailer.withConnection { [orders] send in
            let claim = try await orders.claimLease(orderID: email.orderID, effect: marker, for: Self.lease)
            guard claim == .claimed else { return claim }
            do {
                try await send(email)
            } catch {
                try? await orders.releaseLease(orderID: email.orderID, effect: marker)
                throw error
            }
            return claim
        }
    }

    /// How long a sent email's marker waits for Redis: a restart that loads
    /// a large append-only file answers LOADING for a while.
    static let markerPatience = Duration.seconds(120)

    /// The email is out, so its marker must follow: a retry of the event
    /// would send it again. A Redis that is away, loading or refusing writes
    /// (out of memory) is waited for; meanwhile no other copy can claim the
    /// event's lease either, so it is written before any copy could send again.
    private func recordSent(_ email: EmailMessage, marker: String) async throws {
        let deadline = ContinuousClock.now + Self.markerPatience
        while true {
            do {
                return try await orders.recordEmailSent(orderID: email.orderID, effect: marker,
                                                        messageID: email.messageID,
                                                        tally: .emailSent(eventType: email.eventType))
            } catch where ContinuousClock.now < deadline && !Outcome.failed(error).isDeadLetter {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func count(_ eventType: String, _ outcome: String) {
        Counter(label: "oms_emails_total", dimensions: [("event", eventType), ("outcome", outcome)]).increment()
    }
}
