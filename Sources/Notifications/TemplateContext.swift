import OMSDomain

/// The values a template can use. A value that is absent or empty is left
/// out, so `{{#reason}}…{{/reason}}` shows only when there is a reason.
///
/// | key | value |
/// |---|---|
/// | `shop_name` | the sender's display name (else its domain) |
/// | `order_number` | `external_id`, else the order id: what subjects show |
/// | `order_id`, `external_id`, `channel` | as in the event |
/// | `event_type`, `status` | `order.shipped`, `shipped` |
/// | `date` | the event's day, `22 November 2026` (UTC) |
/// | `customer_name`, `customer_email` | the recipient |
/// | `reason` | cancelled, backordered (and whenever the event has one) |
/// | `carrier`, `tracking_number`, `tracking_url` | shipped, delivered |
/// | `return_authorization` | return_requested |
/// | `refund_by_channel` | the channel's name when that channel, not the shop, pays a refund back (prepaid orders) |
/// | `estimated_delivery` | "Friday 27 November 2026": promised on confirmed, the carrier's on shipped |
/// | `refund_amount` | refunded: the amount for people (`$12.50`, see `AmountFormat`) |
/// | `refund_amount_plain` | refunded: `12.50 USD` |
/// | `currency` | the order's currency code |
/// | `lines` | `[{sku, quantity, item}]` (`item`: "title (SKU)", or the SKU when untitled), with `has_lines` true when there are any |
/// | `parcels` | shipped, for an order split into parcels: `[{number, location, carrier, tracking_number, tracking_url, estimated_delivery, lines}]`, with `has_parcels` true and `parcel_count` |
enum TemplateContext {
    static func make(_ event: OrderEvent, customer: Mailbox, refund: Money?,
                     settings: NotificationSettings) -> [String: Any] {
        var values: [String: Any] = [:]
        func set(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { values[key] = value }
        }
        set("shop_name", settings.shopName)
        set("order_number", event.orderNumber)
        set("order_id", event.data.orderID)
        set("external_id", event.data.externalID)
        set("channel", event.data.channel)
        set("event_type", event.type)
        set("status", event.data.status.rawValue)
        set("date", RFC5322Date.longDay(event.time))
        set("customer_name", customer.name)
        set("customer_email", customer.address)
        set("reason", event.data.reason)
        set("carrier", event.data.carrier)
        set("tracking_number", event.data.trackingNumber)
        if let carrier = event.data.carrier, let tracking = event.data.trackingNumber, !tracking.isEmpty {
            set("tracking_url", settings.trackingURL(carrier: carrier, trackingNumber: tracking))
        }
        set("return_authorization", event.data.returnAuthorization)
        set("estimated_delivery", event.data.estimatedDelivery.flatMap(RFC5322Date.longDay(isoDate:)))
        if event.data.refundBy == "channel" { set("refund_by_channel", event.data.channel) }
        if let refund {
            set("refund_amount", AmountFormat.display(refund))
            set("refund_amount_plain", refund.description)
        }
        set("currency", event.data.currency)
        if let lines = event.data.lines, !lines.isEmpty {
            values["lines"] = Self.lines(lines)
            values["has_lines"] = true
        }
        if let parcels = event.data.parcels, !parcels.isEmpty {
            values["parcels"] = parcels.map { parcel(of: $0, settings) }
            values["has_parcels"] = true
            values["parcel_count"] = String(parcels.count)
        }
        return values
    }

    private static func lines(_ lines: [OrderEventData.EventLine]) -> [[String: Any]] {
        lines.map { line in
            let item = line.name.map { "\($0) (\(line.sku))" } ?? line.sku
            return ["sku": line.sku, "quantity": String(line.quantity), "item": item]
        }
    }

    private static func parcel(of parcel: ShippedParcel, _ settings: NotificationSettings) -> [String: Any] {
        var values: [String: Any] = ["number": String(parcel.number), "location": parcel.location,
                                     "carrier": parcel.carrier, "tracking_number": parcel.trackingNumber,
                                     "lines": lines(parcel.lines),
                                     "tracking_url": settings.trackingURL(carrier: parcel.carrier,
                                                                          trackingNumber: parcel.trackingNumber)]
        if let date = parcel.estimatedDelivery.flatMap(RFC5322Date.longDay(isoDate:)) {
            values["estimated_delivery"] = date
        }
        return values
    }
}
