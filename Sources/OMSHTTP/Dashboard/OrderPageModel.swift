import OMSDomain
import OMSStore

/// What the order page shows, as the template's context.
struct OrderPageModel {
    let view: OrderView
    let effects: [String: String]

    init(_ view: OrderView, effects: [String: String]) {
        self.view = view
        self.effects = effects
    }

    /// Statuses from which staff may still ask for a cancel.
    static let cancellable: Set<String> = ["received", "confirmed", "backordered", "on_hold", "paid", "picked"]

    var context: [String: Any] {
        var context: [String: Any] = [
            "id": view.id, "idJSON": ScriptText.json(view.id), "status": view.status, "channel": view.channel,
            "total": money(view.totalMinorUnits) ?? "-",
            "lines": view.lines.map { line -> [String: Any] in
                ["sku": line.sku, "quantity": line.quantity, "unitPrice": money(line.unitPrice) ?? "\(line.unitPrice)"]
            },
            "history": view.history.map { step -> [String: Any] in
                ["time": step.time, "from": step.from ?? "(new)", "to": step.to, "stage": step.stage, "note": step.note]
            },
            "effects": effects.sorted { $0.key < $1.key }.map { ["name": Self.describe($0.key), "value": $0.value] },
            "cancellable": Self.cancellable.contains(view.status),
        ]
        context["customer"] = view.customer.map { ["name": $0.name, "email": $0.email] }
        context["reason"] = view.reason
        context["trackingNumber"] = view.trackingNumber
        context["carrier"] = view.carrier
        context["hasParcels"] = view.parcels != nil
        context["parcels"] = view.parcels.map { parcels in
            parcels.map { parcel -> [String: Any] in
                ["number": parcel.number, "location": parcel.location,
                 "lines": parcel.lines.map { "\($0.quantity) × \($0.sku)" }.joined(separator: ", "),
                 "tracking": parcel.trackingNumber.map { "\($0) \(parcel.carrier ?? "")" } ?? "not shipped yet"]
            }
        }
        return context
    }

    private func money(_ minorUnits: Int64?) -> String? {
        guard let minorUnits, let currency = view.currency.flatMap(Currency.init(code:)) else { return nil }
        return Money(minorUnits: minorUnits, currency: currency).description
    }

    /// `email:order.shipped` → "email sent: order.shipped"; `label` → "shipping label (tracking number)".
    static func describe(_ effect: String) -> String {
        let emailPrefix = Effect.email("")
        if effect.hasPrefix(emailPrefix) { return "email sent: " + effect.dropFirst(emailPrefix.count) }
        if effect.hasPrefix(Effect.parcelLabelPrefix) {
            return "shipping label of parcel \(effect.dropFirst(Effect.parcelLabelPrefix.count)) (tracking number)"
        }
        let delivered = Effect.delivered(tracking: "")
        if effect.hasPrefix(delivered) { return "parcel \(effect.dropFirst(delivered.count)) delivered (when)" }
        switch effect {
        case Effect.label: return "shipping label and packing slip (tracking number)"
        case Effect.charge: return "payment captured (gateway id)"
        case Effect.refund: return "refund (gateway id)"
        default: return effect
        }
    }
}
