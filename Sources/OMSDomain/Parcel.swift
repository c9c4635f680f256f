/// One box of an order whose lines no single location can fill (DESIGN:
/// "parcels"): the lines one location holds, picked, labelled and tracked on
/// their own. An order that ships whole from one place has no parcels.
public struct Parcel: Codable, Sendable, Hashable {
    /// 1, 2, … in the order the locations are preferred for the order.
    public var number: Int
    public var location: String
    public var lines: [Line]

    public struct Line: Codable, Sendable, Hashable {
        public var sku: String
        public var quantity: Int

        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    public init(number: Int, location: String, lines: [Line]) {
        self.number = number
        self.location = location
        self.lines = lines
    }

    /// The order's parcels when its SKUs are held at more than one location
    /// (`heldAt`: SKU → location), numbered by `preference` (nearest first;
    /// a location it does not name comes after, by name). Lines of SKUs not
    /// stocked per location travel in the first parcel. Empty when every
    /// line ships from one place.
    public static func split(_ order: Order, heldAt: [String: String], preference: [String]) -> [Parcel] {
        let rank = Dictionary(preference.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let locations = Set(heldAt.values).sorted { (rank[$0] ?? .max, $0) < (rank[$1] ?? .max, $1) }
        guard locations.count > 1 else { return [] }
        return locations.enumerated().map { index, location in
            let lines = order.lines.filter { heldAt[$0.sku] == location || (index == 0 && heldAt[$0.sku] == nil) }
            return Parcel(number: index + 1, location: location,
                          lines: lines.map { Line(sku: $0.sku, quantity: $0.quantity) })
        }
    }

    /// The order hash's field capture writes them in.
    public static let field = "parcels"

    /// The `parcels` field of the order's hash.
    public static func encode(_ parcels: [Parcel]) -> String {
        String(decoding: OrderCoding.encodeValue(parcels), as: UTF8.self)
    }

    /// The parcels in an order's `parcels` field; empty when it has none.
    public static func decode(_ field: String?) throws -> [Parcel] {
        guard let field else { return [] }
        return try OrderCoding.decodeValue([Parcel].self, from: Array(field.utf8))
    }
}

extension Order {
    /// The order as one parcel of it: the same customer, address and service,
    /// only the parcel's lines (with their prices, titles and weights), for
    /// its label, customs declaration and packing slip.
    public func only(_ parcel: Parcel) -> Order {
        let skus = Set(parcel.lines.map(\.sku))
        var part = self
        part.lines = lines.filter { skus.contains($0.sku) }
        return part
    }
}

/// A parcel of a split order as people read it (`oms status`, the API):
/// as shipped once it has its label, else as capture planned it.
public struct ParcelSummary: Encodable, Sendable, Hashable {
    public var number: Int
    public var location: String
    public var lines: [Parcel.Line]
    public var carrier: String?
    public var trackingNumber: String?

    enum CodingKeys: String, CodingKey {
        case number, location, lines, carrier
        case trackingNumber = "tracking_number"
    }

    /// From the order hash's fields; empty for an order in one box, or fields that do not read.
    public static func read(_ fields: [String: String]) -> [ParcelSummary] {
        if let shipped = fields[ShippedParcel.field].flatMap({ try? ShippedParcel.decode($0) }) {
            return shipped.map { parcel in
                ParcelSummary(number: parcel.number, location: parcel.location,
                              lines: parcel.lines.map { Parcel.Line(sku: $0.sku, quantity: $0.quantity) },
                              carrier: parcel.carrier, trackingNumber: parcel.trackingNumber)
            }
        }
        return ((try? Parcel.decode(fields[Parcel.field])) ?? []).map { parcel in
            ParcelSummary(number: parcel.number, location: parcel.location, lines: parcel.lines)
        }
    }

    /// "1 from LON-1: 2 × MUG-BLUE, 1 × CARD (table-rate CS093311895GB)"
    public var text: String {
        "\(number) from \(location): " + lines.map { "\($0.quantity) × \($0.sku)" }.joined(separator: ", ")
            + (trackingNumber.map { " (\(carrier.map { "\($0) " } ?? "")\($0))" } ?? "")
    }
}
