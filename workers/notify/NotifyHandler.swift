import Metrics
import Notifications
import OMSStore
import SMTPClient
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
struct NotifyHandler: StageHandler {
    let composer: EmailComposer
    let smtp: SMTPSenderPool
    let orders: OrderStore
    /// Longer than one send can take (the SMTP timeout, 30 s; the lease is
    /// taken when a sender is free, so waiting for one does not count), short
    /// enough that the events a crashed worker held are sent soon after.
    static let lease = Duration.seconds(35)

    func handle(_ message: IncomingMessage, context: HandlerContext) async -> Outcome {
        // Status events are routed by their type (order.<status>): the key
        // labels the counts, and most events (received, paid, picked, …)
        // send nothing, which the key says without parsing the body.
        let eventType = message.routingKey
        if case .noEmail = EmailKind.decision(forEventType: eventType) {
            count(eventType, "skipped")
            return .done([])
        }
        let email: EmailMessage
        do {
            guard case .send(let composed) = try composer.compose(eventJSON: message.body) else {
                count(eventType, "skipped")
                return .done([])
            }
            email = composed
        } catch {
            count(eventType, "failed")
            return .deadLetter(reason: "cannot email this event: \(error)")
        }
        var context = context
        context.logger[metadataKey: LogKey.orderID] = "\(email.orderID)"
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
                try await orders.recordEmailSent(orderID: email.orderID, effect: marker, messageID: email.messageID,
                                                 tally: .emailSent(eventType: email.eventType))
                count(eventType, "sent")
            }
            return .done([])
        } catch let error as SMTPError where error.kind == .rejected || error.kind == .invalidAddress {
            // Only this email can never go: a 5xx for it, or an address the
            // server cannot take. A wrong password or TLS setting fails every
            // email alike and is retried (and logged) until someone fixes it.
            count(eventType, "failed")
            return .deadLetter(reason: "the mail server refused the email: \(error)")
        } catch {
            count(eventType, "retried")
            return .retry(reason: "\(error)")
        }
    }

    /// Sends under the event's lease, taken only once a sender is free, so
    /// that waiting for a sender does not use up the lease: `.claimed` when
    /// this call sent the email.
    private func leasedSend(_ email: EmailMessage, marker: String) async throws -> LeaseClaim {
        try await smtp.withSender { [orders] sender in
            let claim = try await orders.claimLease(orderID: email.orderID, effect: marker, for: Self.lease)
            guard claim == .claimed else { return claim }
            do {
                try await sender.send(from: email.mailFrom, to: email.recipients, message: email.bytes)
            } catch {
                try? await orders.releaseLease(orderID: email.orderID, effect: marker)
                throw error
            }
            return claim
        }
    }

    private func count(_ eventType: String, _ outcome: String) {
        Counter(label: "oms_emails_total", dimensions: [("event", eventType), ("outcome", outcome)]).increment()
    }
}
