import Hummingbird

/// `Authorization: Bearer KEY` with one of `OMS_API_KEYS`, else 401.
struct APIKeyAuthentication<Context: RequestContext>: RouterMiddleware {
    let keys: APIKeys

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard keys.accepts(request.headers[.authorization]) else {
            throw APIError(status: .unauthorized, message: "an API key is required: Authorization: Bearer KEY",
                           headers: [.wwwAuthenticate: "Bearer realm=\"oms\""])
        }
        return try await next(request, context)
    }
}

/// The configured API keys. Every key is compared in full, in constant time,
/// whichever matches, so timing tells nothing about a key.
struct APIKeys: Sendable {
    let keys: [[UInt8]]

    init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    func accepts(_ authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let given = Array(authorization.utf8.dropFirst("Bearer ".utf8.count))
        var matched = false
        for key in keys where ConstantTime.equal(given, key) { matched = true }
        return matched
    }
}
