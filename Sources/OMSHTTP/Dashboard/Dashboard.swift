import Foundation
import Hummingbird
import OMSDomain
import OMSStore

/// The staff dashboard at `/`: sign-in, every order with filters and search,
/// one order with its timeline, documents and emails, stock with set and add
/// forms, and live changes through `/events`.
struct Dashboard: Sendable {
    let backends: Backends
    let pages: Pages
    let feed: EventFeed
    let access: StaffAccess
    let documents: OrderDocuments
    let maximumBodyBytes: Int
    static let pageSize = 100

    func register(on router: Router<ServeRequestContext>) {
        router.get("signin") { _, _ in signInPage() }
        router.post("signin") { request, _ in try await signIn(request) }
        router.post("signout") { request, _ in
            try await access.form(request, limit: maximumBodyBytes) { _, _ in
                var response = Response.redirect(to: "/signin")
                response.setCookie(StaffAccess.cookie(StaffAccess.sessionCookie, "", maxAge: 0))
                return response
            }
        }
        router.get("/") { request, _ in try await access.page(request) { try await orders(request, session: $0) } }
        router.get("orders/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await access.page(request) { try await order(id, session: $0) }
        }
        for kind in OrderDocuments.Kind.allCases {
            router.get("orders/:id/\(kind.rawValue).pdf") { request, context in
                let id = try context.parameters.require("id")
                return try await access.page(request) { _ in documents.response(kind, orderID: id) }
            }
            router.get("orders/:id/parcels/:number/\(kind.rawValue).pdf") { request, context in
                let id = try context.parameters.require("id")
                guard let number = Int(try context.parameters.require("number")), number > 0 else {
                    return StaffAccess.refusal(.notFound, "parcels are numbered from 1")
                }
                return try await access.page(request) { _ in documents.response(kind, orderID: id, parcel: number) }
            }
        }
        router.post("orders/:id/cancel") { request, context in
            let id = try context.parameters.require("id")
            return try await access.form(request, limit: maximumBodyBytes) { _, _ in
                try await backends.intake.publish(.orderCancel, body: Intake.cancelBody(orderID: id, reason: "cancelled by staff"))
                return .redirect(to: "/orders/\(id)")
            }
        }
        router.get("events") { request, _ in
            guard access.session(request) != nil else { return StaffAccess.refusal(.unauthorized, "sign in first") }
            return await ServerSentEvents.response(feed)
        }
        StockPages(backends: backends, pages: pages, access: access, maximumBodyBytes: maximumBodyBytes)
            .register(on: router)
        DeadLetterPages(backends: backends, pages: pages, access: access, maximumBodyBytes: maximumBodyBytes)
            .register(on: router)
        ReportPage(backends: backends, pages: pages, access: access).register(on: router)
    }

    static func context(_ title: String, session: String?, access: StaffAccess) -> [String: Any] {
        var context: [String: Any] = ["title": title]
        if let session {
            context["signedIn"] = true
            context["csrf"] = access.csrf(session)
        }
        return context
    }

    // MARK: - Sign-in

    func signInPage(error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var context = Self.context("Sign in", session: nil, access: access)
        guard let signer = access.signer else {
            context["error"] = "The dashboard is off: OMS_ADMIN_PASSWORD is not set."
            return pages.render("signin", context, status: .unauthorized)
        }
        let nonce = UUID().uuidString
        context["csrf"] = signer.csrfToken(boundTo: nonce)
        context["error"] = error
        var response = pages.render("signin", context, status: status)
        response.setCookie(StaffAccess.cookie(StaffAccess.signInCookie, nonce, path: "/signin", maxAge: 600))
        return response
    }

    func signIn(_ request: Request) async throws -> Response {
        let fields = FormFields(try await request.bodyBytes(upTo: maximumBodyBytes))
        guard let signer = access.signer, let password = access.password else { return signInPage() }
        guard signer.verifiesCSRF(fields["csrf"], boundTo: request.cookies[StaffAccess.signInCookie]?.value) else {
            return StaffAccess.refusal(.forbidden, "this form has no valid CSRF token; reload the page and try again")
        }
        guard signer.matches(password: fields["password"] ?? "", expected: password) else {
            return signInPage(error: "That is not the password.", status: .unauthorized)
        }
        var response = Response.redirect(to: "/")
        response.setCookie(StaffAccess.cookie(StaffAccess.sessionCookie, signer.newSession(now: Date()),
                                              maxAge: Int(SessionSigner.lifetime)))
        response.setCookie(StaffAccess.cookie(StaffAccess.signInCookie, "", path: "/signin", maxAge: 0))
        return response
    }

    // MARK: - Orders

    func orders(_ request: Request, session: String) async throws -> Response {
        let query = request.uri.queryParameters
        let status = query.get("status").flatMap { $0.isEmpty ? nil : $0 }
        let channel = query.get("channel").flatMap { $0.isEmpty ? nil : $0 }
        let search = query.get("q").flatMap { $0.isEmpty ? nil : $0 }
        var all = try await OrderSummary.scan(backends.redis, status: status, channel: channel)
        if let search { all = all.filter { $0.id.localizedCaseInsensitiveContains(search) } }
        let page = OrderPage.slice(all, after: query.get("cursor"), limit: Self.pageSize)
            ?? OrderPage.slice(all, after: nil, limit: Self.pageSize)!
        var context = Self.context("Orders", session: session, access: access)
        context["statuses"] = OrderStatus.allCases.map { ["name": $0.rawValue, "selected": $0.rawValue == status] }
        context["channel"] = channel ?? ""
        context["query"] = search ?? ""
        context["count"] = all.count
        context["live"] = true
        context["orders"] = page.orders.map {
            ["id": $0.id, "status": $0.status, "channel": $0.channel, "updated": $0.updated]
        }
        context["statusJSON"] = ScriptText.json(status)
        context["channelJSON"] = ScriptText.json(channel)
        context["queryJSON"] = ScriptText.json(search)
        if let cursor = page.nextCursor {
            var next = URLComponents()
            next.path = "/"
            next.queryItems = [("status", status), ("channel", channel), ("q", search), ("cursor", cursor)]
                .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            context["nextPage"] = next.string
        }
        return pages.render("orders", context)
    }

    func order(_ id: String, session: String) async throws -> Response {
        var context = Self.context("Order \(id)", session: session, access: access)
        guard let view = try await OrderView.load(id, from: backends.orders) else {
            context["error"] = "There is no order \(id)."
            return pages.render("order", context, status: .notFound)
        }
        let effects = try await backends.orders.effects(orderID: id)
        var model = OrderPageModel(view, effects: effects).context
        model["documents"] = documents.existing(orderID: id, parcels: view.parcels?.map(\.number) ?? [])
        context["order"] = model
        return pages.render("order", context)
    }
}
