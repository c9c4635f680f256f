/// Shopify's `orders/create` payload (REST Admin API Order resource) as an order.
enum ShopifyOrder {
    static func map(_ body: [UInt8]) throws(ShopOrder.Unreadable) -> ShopOrder {
        guard let payload = PayloadFields(body: body), let id = payload.integer("id") else {
            throw ShopOrder.Unreadable(description: "not a Shopify order: a JSON object with a numeric id is expected")
        }
        let currency = payload.text("currency")
        let shipping = payload.nested("shipping_address")
        return ShopOrder(
            id: "shopify-\(id)", channel: "shopify", externalID: payload.text("name"),
            placedAt: payload.text("created_at"), currency: currency,
            customerName: shipping?.text("name")
                ?? payload.nested("customer")?.fullName(first: "first_name", last: "last_name"),
            email: payload.text("email") ?? payload.text("contact_email") ?? payload.nested("customer")?.text("email"),
            address: ShopOrder.address(shipping, ["address1", "address2", "city", "province", "zip", "country_code"]),
            lines: ShopOrder.lines(payload.list("line_items"), currency: currency, nameKeys: ["title", "name"]),
            shippingTitle: payload.list("shipping_lines").first.flatMap { $0.text("code") ?? $0.text("title") })
    }
}
