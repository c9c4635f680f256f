import OMSDomain
import OMSStore

/// One order as `GET /api/v1/orders/{id}` answers it and the dashboard shows
/// it: the hash's status fields, the document's customer and lines, the timeline.
struct OrderView: Encodable, Sendable {
    var id: String
    var status: String
    var version: Int
    var channel: String
    var updatedAt: String?
    var reason: String?
    var trackingNumber: String?
    var carrier: String?
    var customer: Customer?
    var currency: String?
    var lines: [Line]
    var totalMinorUnits: Int64?
    /// An order split over locations: each parcel, with its tracking once shipped.
    var parcels: [ParcelSummary]?
    var history: [Step]

    struct Customer: Encodable, Sendable {
        var name: String
        var email: String
    }

    struct Line: Encodable, Sendable {
        var sku: String
        var quantity: Int
        var unitPrice: Int64

        enum CodingKeys: String, CodingKey {
            case sku, quantity
            case unitPrice = "unit_price"
        }
    }

    struct Step: Encodable, Sendable {
        var from: String?
        var to: String
        var version: Int
        var time: String
        var stage: String
        var note: String
    }

    enum CodingKeys: String, CodingKey {
        case id, status, version, channel, reason, carrier, customer, currency, lines, parcels, history
        case updatedAt = "updated_at"
        case trackingNumber = "tracking_number"
        case totalMinorUnits = "total_minor_units"
    }

    /// Nil when Redis has no such order.
    static func load(_ id: String, from store: OrderStore) async throws -> OrderView? {
        let fields = try await store.fields(orderID: id)
        guard let status = fields["status"] else { return nil }
        let history = try await store.history(orderID: id)
        let order = fields["document"].flatMap { try? OrderCoding.decode(Array($0.utf8)) }
        let parcels = ParcelSummary.read(fields)
        return OrderView(
            id: id, status: status, version: Int(fields["version"] ?? "") ?? 0,
            channel: fields["channel"] ?? order?.channel ?? "", updatedAt: fields["updated_at"],
            reason: fields["reason"], trackingNumber: fields["tracking_number"], carrier: fields["carrier"],
            customer: order.map { Customer(name: $0.customer.name, email: $0.customer.email) },
            currency: order?.currency.code,
            lines: order?.lines.map { Line(sku: $0.sku, quantity: $0.quantity, unitPrice: $0.unitPrice) } ?? [],
            totalMinorUnits: order.flatMap { try? $0.total.minorUnits },
            parcels: parcels.isEmpty ? nil : parcels,
            history: history.map { entry in
                Step(from: entry.from?.rawValue, to: entry.to.rawValue, version: entry.version,
                     time: RFC3339.format(entry.time), stage: entry.stage, note: entry.note)
            })
    }
}
