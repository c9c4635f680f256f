import Foundation
import Hummingbird
import OMSDomain
import OMSStore

/// The customer's returns portal at `/returns`: order number and email →
/// the shipped lines → quantity, condition and reason → `order.return`, and
/// the return authorisation number. No account: the email is the proof, so
/// every step checks it again, lookups are rate-limited per client address,
/// and a wrong email gets the very answer a wrong number gets.
struct ReturnsPortal: Sendable {
    let backends: Backends
    let pages: Pages
    let limiter: RateLimiter
    let maximumBodyBytes: Int
    /// The form's CSRF token is this cookie's value, sent back in the form
    /// (double submit): another site can neither read the cookie nor send it.
    static let cookie = "oms_returns"
    static let notFound = "We found no shipped order with that number and email."

    init(backends: Backends, pages: Pages, maximumBodyBytes: Int,
         limiter: RateLimiter = RateLimiter(capacity: 5, refill: .seconds(12))) {
        self.backends = backends
        self.pages = pages
        self.maximumBodyBytes = maximumBodyBytes
        self.limiter = limiter
    }

    func register(on router: Router<ServeRequestContext>) {
        router.get("returns") { request, _ in start(request) }
        router.post("returns/lookup") { request, context in
            try await step(request, context) { fields, order, csrf in lines(order, fields: fields, csrf: csrf) }
        }
        router.post("returns/submit") { request, context in
            try await step(request, context) { fields, order, csrf in try await submit(order, fields: fields, csrf: csrf) }
        }
    }

    private func start(_ request: Request, error: String? = nil, fields: FormFields? = nil,
                       status: HTTPResponse.Status = .ok) -> Response {
        let token = request.cookies[Self.cookie]?.value ?? UUID().uuidString
        var context: [String: Any] = ["title": "Return an item", "csrf": token]
        context["error"] = error
        context["orderID"] = fields?["order_id"]
        context["email"] = fields?["email"]
        var response = pages.render("returns", context, status: status)
        response.setCookie(StaffAccess.cookie(Self.cookie, token, path: "/returns", maxAge: 3600))
        return response
    }

    /// Checks the form's token, the rate limit, and that order and email
    /// match a shipped or delivered order, before `next`.
    private func step(_ request: Request, _ context: ServeRequestContext,
                      _ next: (FormFields, Order, String) async throws -> Response) async throws -> Response {
        let fields = FormFields(try await request.bodyBytes(upTo: maximumBodyBytes))
        guard let token = request.cookies[Self.cookie]?.value,
              ConstantTime.equal(Array((fields["csrf"] ?? "").utf8), Array(token.utf8)) else {
            return StaffAccess.refusal(.forbidden, "this form has no valid token; reload the page and try again")
        }
        guard await limiter.allows(context.clientAddress) else {
            return start(request, error: "Too many attempts; wait a minute and try again.", fields: fields,
                         status: .tooManyRequests)
        }
        guard let order = try await returnable(fields) else {
            return start(request, error: Self.notFound, fields: fields, status: .notFound)
        }
        return try await next(fields, order, token)
    }

    /// The order, when the number and email match one that has shipped.
    private func returnable(_ fields: FormFields) async throws -> Order? {
        guard let id = fields["order_id"], let email = fields["email"] else { return nil }
        let stored = try await backends.orders.fields(orderID: id)
        guard let status = stored["status"].flatMap(OrderStatus.init(rawValue:)),
              [.shipped, .delivered].contains(status),
              let order = stored["document"].flatMap({ try? OrderCoding.decode(Array($0.utf8)) }),
              order.customer.email.lowercased() == email.lowercased() else { return nil }
        return order
    }

    private func lines(_ order: Order, fields: FormFields, csrf: String) -> Response {
        pages.render("returns-lines", [
            "title": "Return from order \(order.id)", "csrf": csrf, "orderID": order.id, "email": order.customer.email,
            "lines": order.lines.map { ["sku": $0.sku, "name": $0.name ?? $0.sku, "quantity": $0.quantity] },
        ])
    }

    private func submit(_ order: Order, fields: FormFields, csrf: String) async throws -> Response {
        let returned = order.lines.compactMap { line -> OrderReturn.Line? in
            guard let quantity = fields["quantity.\(line.sku)"].flatMap(Int.init), quantity > 0 else { return nil }
            let condition = fields["condition.\(line.sku)"].flatMap(OrderReturn.Line.Condition.init) ?? .sellable
            return OrderReturn.Line(sku: line.sku, quantity: min(quantity, line.quantity), condition: condition)
        }
        guard !returned.isEmpty else {
            var response = lines(order, fields: fields, csrf: csrf)
            response.status = .unprocessableContent
            return response
        }
        let request = OrderReturn(orderID: order.id, reason: fields["reason"], lines: returned)
        _ = try IntakeCheck.decode(.orderReturn, request.encoded())
        do {
            try await backends.intake.publish(.orderReturn, body: request.encoded(), messageID: "return-\(order.id)")
        } catch {
            throw APIError.unavailable(error)
        }
        return pages.render("returns-done", ["title": "Return registered",
                                             "authorization": OrderReturn.authorization(for: order.id)])
    }
}
