import OMSDomain

/// Turns a status event into the customer's email, or into a reason for none.
///
/// Before anything is rendered, every value a template can use is checked for
/// line breaks and control characters, whether or not the built-in subject
/// shows it: an override template may put any of them in the subject. A bad
/// value throws `NotificationError` naming the field ("customer.name contains
/// a line break; it cannot go into an email header"); the worker dead-letters
/// the event and sends nothing. The subject and addresses are checked again
/// when the message is built, and headers are written encoded, so a line
/// break can never start a header.
public struct EmailComposer: Sendable {
    public let templates: EmailTemplates
    public let settings: NotificationSettings

    public init(templates: EmailTemplates, settings: NotificationSettings) {
        self.templates = templates
        self.settings = settings
    }

    /// The event as received from `oms.notify`. An event type that sends no
    /// email is answered from the envelope alone, whatever its data holds:
    /// only when the whole event does not parse is its type read on its own.
    public func compose(eventJSON bytes: [UInt8]) throws(NotificationError) -> EmailOutcome {
        let event: OrderEvent
        do {
            event = try OrderEvent.parse(bytes)
        } catch {
            let type: String
            do { type = try OrderEvent.type(of: bytes) } catch let problem { throw NotificationError(problem) }
            if case .noEmail(let reason) = EmailKind.decision(forEventType: type) { return .noEmail(reason) }
            throw NotificationError(error)
        }
        return try compose(event)
    }

    public func compose(_ event: OrderEvent) throws(NotificationError) -> EmailOutcome {
        let kind: EmailKind
        switch EmailKind.decision(forEventType: event.type) {
        case .noEmail(let reason): return .noEmail(reason)
        case .email(let emailKind): kind = emailKind
        }
        guard let customer = event.data.customer else { throw .missingField(path: "customer", eventType: event.type) }
        let recipient = try Mailbox(address: customer.email, name: customer.name, addressPath: "customer.email",
                                    namePath: "customer.name")
        try Self.checkTexts(event)
        try Self.checkRequired(event, kind)
        let refund = try Self.refund(event, kind)

        let context = TemplateContext.make(event, customer: recipient, refund: refund, settings: settings)
        let message = try EmailMessage(
            from: settings.from, to: recipient, replyTo: settings.replyTo,
            subject: templates.render(kind, .subject, context), date: event.time,
            messageID: EmailMessage.messageID(orderID: event.data.orderID, eventType: event.type,
                                              domain: settings.messageIDDomain),
            orderID: event.data.orderID, eventType: event.type,
            text: templates.render(kind, .text, context), html: templates.render(kind, .html, context))
        return .send(message)
    }

    /// Every text a template may show, with the most it may hold.
    private static func checkTexts(_ event: OrderEvent) throws(NotificationError) {
        let texts: [(String, String?, Int)] = [
            ("external_id", event.data.externalID, 100), ("channel", event.data.channel, 50),
            ("reason", event.data.reason, 500), ("carrier", event.data.carrier, 100),
            ("tracking_number", event.data.trackingNumber, 100),
            ("return_authorization", event.data.returnAuthorization, 100), ("currency", event.data.currency, 3),
        ]
        for (path, value, maxLength) in texts {
            if let value, let problem = HeaderSafety.problem(value, maxLength: maxLength) {
                throw .unsafeText(path: path, problem: problem)
            }
        }
        for (index, line) in (event.data.lines ?? []).enumerated() {
            if let problem = HeaderSafety.problem(line.sku, maxLength: 64) {
                throw .unsafeText(path: "lines[\(index)].sku", problem: problem)
            }
            if let title = line.name, let problem = HeaderSafety.problem(title, maxLength: 200) {
                throw .unsafeText(path: "lines[\(index)].name", problem: problem)
            }
        }
    }

    /// What each email cannot be written without.
    private static func checkRequired(_ event: OrderEvent, _ kind: EmailKind) throws(NotificationError) {
        let required: [(String, String?)] = switch kind {
        case .shipped: [("tracking_number", event.data.trackingNumber), ("carrier", event.data.carrier)]
        case .returnRequested: [("return_authorization", event.data.returnAuthorization)]
        case .refunded: [("currency", event.data.currency)]
        case .cancelRefused: [("reason", event.data.reason)]
        case .confirmed, .backordered, .delivered, .cancelled: []
        }
        for (path, value) in required where (value ?? "").isEmpty {
            throw .missingField(path: path, eventType: event.type)
        }
    }

    private static func refund(_ event: OrderEvent, _ kind: EmailKind) throws(NotificationError) -> Money? {
        guard kind == .refunded else { return nil }
        guard let amount = event.data.refundAmount else {
            throw .missingField(path: "refund_amount", eventType: event.type)
        }
        guard amount >= 0 else {
            throw .inconsistent(path: "refund_amount", problem: "is negative; a refund is a positive amount in minor units")
        }
        guard let code = event.data.currency, let currency = Currency(code: code) else {
            throw .inconsistent(path: "currency", problem: "is not an ISO 4217 currency code; the refund amount "
                                + "cannot be written")
        }
        return Money(minorUnits: amount, currency: currency)
    }
}
