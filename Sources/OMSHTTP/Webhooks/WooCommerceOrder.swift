/// WooCommerce's "order created" payload (REST API v3 order) as an order.
enum WooCommerceOrder {
    static func map(_ body: [UInt8]) throws(ShopOrder.Unreadable) -> ShopOrder {
        guard let payload = PayloadFields(body: body), let id = payload.integer("id") else {
            throw ShopOrder.Unreadable(description: "not a WooCommerce order: a JSON object with a numeric id is expected")
        }
        let currency = payload.text("currency")
        let shipping = payload.nested("shipping")
        let billing = payload.nested("billing")
        return ShopOrder(
            id: "woocommerce-\(id)", channel: "woocommerce", externalID: payload.text("number"),
            // date_created_gmt is UTC written without an offset.
            placedAt: payload.text("date_created_gmt").map { $0.hasSuffix("Z") ? $0 : $0 + "Z" },
            currency: currency,
            customerName: shipping?.fullName(first: "first_name", last: "last_name")
                ?? billing?.fullName(first: "first_name", last: "last_name"),
            email: billing?.text("email"),
            address: ShopOrder.address(shipping, ["address_1", "address_2", "city", "state", "postcode", "country"]),
            lines: ShopOrder.lines(payload.list("line_items"), currency: currency, nameKeys: ["name"]),
            shippingTitle: payload.list("shipping_lines").first.flatMap { $0.text("method_id") ?? $0.text("method_title") })
    }
}
