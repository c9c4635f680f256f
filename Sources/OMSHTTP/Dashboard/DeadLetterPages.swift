import Hummingbird
import WorkerRuntime

/// `/dead-letters`: what `oms dlq list`, `show` and `replay --id` do, as pages.
struct DeadLetterPages: Sendable {
    let backends: Backends
    let pages: Pages
    let access: StaffAccess
    let maximumBodyBytes: Int
    static let shown = 500

    func register(on router: Router<ServeRequestContext>) {
        router.get("dead-letters") { request, _ in
            try await access.page(request) { session in
                let letters = try await DeadLetter.list(backends.intake.amqp, limit: Self.shown)
                var context = Dashboard.context("Dead letters", session: session, access: access)
                context["count"] = letters.count
                context["letters"] = letters.map(Self.row)
                context["flash"] = request.uri.queryParameters.get("done")
                return pages.render("dead-letters", context)
            }
        }
        router.get("dead-letters/:number") { request, context in
            let number = try context.parameters.require("number", as: Int.self)
            return try await access.page(request) { session in try await show(number, session: session) }
        }
        router.post("dead-letters/replay") { request, _ in
            try await access.form(request, limit: maximumBodyBytes) { fields, _ in
                try await replay(messageID: fields["id"] ?? "")
            }
        }
    }

    static func row(_ letter: DeadLetter) -> [String: Any] {
        ["number": letter.number, "messageID": letter.messageID, "stage": letter.stage, "error": letter.error,
         "attempts": letter.attempts.map(String.init) ?? "-",
         "from": "\(letter.originalExchange ?? "-") \(letter.originalRoutingKey ?? letter.delivery.routingKey)",
         "replayable": letter.replay != nil]
    }

    private func show(_ number: Int, session: String) async throws -> Response {
        let letters = try await DeadLetter.list(backends.intake.amqp, limit: number)
        var context = Dashboard.context("Dead letter \(number)", session: session, access: access)
        guard let letter = letters.first(where: { $0.number == number }) else {
            context["error"] = "There is no dead letter \(number) now."
            return pages.render("dead-letter", context, status: .notFound)
        }
        var row = Self.row(letter)
        row["headers"] = letter.delivery.headers.sorted { $0.key < $1.key }
            .map { ["name": $0.key, "value": DeadLetter.text($0.value)] }
        row["body"] = String(decoding: letter.delivery.body, as: UTF8.self)
        context["letter"] = row
        return pages.render("dead-letter", context)
    }

    /// Republishes the letter with this message id (confirmed), then acks it;
    /// every other letter goes back to the queue.
    private func replay(messageID: String) async throws -> Response {
        let amqp = backends.intake.amqp
        let letters = try await DeadLetter.take(amqp, limit: .max)
        let chosen = letters.first { $0.messageID == messageID }
        try await DeadLetter.requeue(amqp, letters.filter { $0.number != chosen?.number })
        guard let chosen, let message = chosen.replay else {
            if let chosen { try await DeadLetter.requeue(amqp, [chosen]) }
            return .redirect(to: "/dead-letters")
        }
        do {
            try await amqp.publish(message)
        } catch {
            try await DeadLetter.requeue(amqp, [chosen])
            throw APIError.unavailable(error)
        }
        _ = try await amqp.ack(chosen.delivery)
        return .redirect(to: "/dead-letters")
    }
}
