import Hummingbird
import OMSDomain

/// `POST /webhooks/shopify` and `POST /webhooks/woocommerce`: a shop's new
/// order, signed with the shop's secret, published as `order.place`. Its id
/// comes from the shop's order id, so a delivery the shop repeats is the same
/// order and capture takes it once.
struct Webhooks: Sendable {
    let backends: Backends
    let maximumBodyBytes: Int
    let shopify: WebhookSignature?
    let wooCommerce: WebhookSignature?

    init(backends: Backends, configuration: ServeConfiguration) {
        self.backends = backends
        maximumBodyBytes = configuration.maximumBodyBytes
        shopify = configuration.shopifySecret.map(WebhookSignature.init(secret:))
        wooCommerce = configuration.wooCommerceSecret.map(WebhookSignature.init(secret:))
    }

    func register(on router: Router<ServeRequestContext>) {
        router.post("webhooks/shopify") { request, _ in
            try await receive(request, signature: shopify, header: "X-Shopify-Hmac-Sha256", map: ShopifyOrder.map)
        }
        router.post("webhooks/woocommerce") { request, _ in
            try await receive(request, signature: wooCommerce, header: "X-WC-Webhook-Signature",
                              map: WooCommerceOrder.map)
        }
    }

    /// 401 before the payload is parsed when the signature is wrong or
    /// missing; 202 once the broker confirmed the order.
    func receive(_ request: Request, signature: WebhookSignature?, header: String,
                 map: ([UInt8]) throws(ShopOrder.Unreadable) -> ShopOrder) async throws -> Response {
        let body = try await request.bodyBytes(upTo: maximumBodyBytes)
        let given = request.headers.first { $0.name.canonicalName == header.lowercased() }?.value
        guard let signature, signature.verifies(given, body: body) else {
            throw APIError(status: .unauthorized, message: "missing or wrong \(header)")
        }
        let placed: [UInt8]
        do {
            placed = try map(body).body()
        } catch {
            throw APIError(status: .badRequest, message: error.description)
        }
        let order = try IntakeCheck.order(placed)
        do {
            try await backends.intake.publish(.orderPlace, body: placed, messageID: order.id)
        } catch {
            throw APIError.unavailable(error)
        }
        return JSONBody.response(Accepted(orderID: order.id, status: "accepted"), status: .accepted)
    }
}
