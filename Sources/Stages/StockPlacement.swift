import Foundation
import Fulfilment
import OMSDomain
import OMSStore

/// Where capture's reservation put an order's stock, as the order's hash
/// records it: at one location (`stock_location`), in parcels from several
/// (`parcels`), or neither when no SKU is stocked per location.
struct StockPlacement: Sendable, Hashable {
    var location: String?
    var parcels: [Parcel]

    /// The hash fields it is read from.
    static let fieldNames = [OrderFields.stockLocation, OrderFields.parcels]

    /// No SKU stocked per location, or nothing reserved.
    static let nowhere = StockPlacement(location: nil, parcels: [])

    init(location: String?, parcels: [Parcel]) {
        self.location = location
        self.parcels = parcels
    }

    /// Where `reservation` holds the order's lines; nowhere when it is short.
    init(order: Order, reservation: Reservation, preference: [String]) {
        guard case .reserved(_, let heldAt) = reservation else {
            self = .nowhere
            return
        }
        location = reservation.location
        parcels = Parcel.split(order, heldAt: heldAt, preference: preference)
    }

    /// From the order's hash fields; throws when `parcels` is not what capture writes.
    init(fields: [String: String]) throws {
        location = fields[OrderFields.stockLocation]
        parcels = try Parcel.decode(fields[OrderFields.parcels])
    }

    /// The order's placement as capture recorded it, in one HMGET.
    static func read(orderID: String, from orders: any OrderRecords) async throws -> StockPlacement {
        try StockPlacement(fields: try await orders.status(orderID: orderID, with: fieldNames).fields)
    }

    var fields: [String: String] {
        if !parcels.isEmpty { return [OrderFields.parcels: Parcel.encode(parcels)] }
        return location.map { [OrderFields.stockLocation: $0] } ?? [:]
    }

    /// The history note of the confirmation.
    var note: String {
        if let location { return "every line reserved at \(location)" }
        guard !parcels.isEmpty else { return "every line reserved" }
        return "every line reserved, in \(parcels.count) parcels: " + parcels.map { parcel in
            "\(parcel.number) from \(parcel.location) (\(parcel.lines.map(\.sku).joined(separator: ", ")))"
        }.joined(separator: "; ")
    }

    /// Where the SKU ships from, when it is stocked per location.
    func location(of sku: String) -> String? {
        parcels.first { $0.lines.contains { $0.sku == sku } }?.location ?? location
    }

    /// The date the confirmation promises: the latest parcel's, each from its location.
    func promisedDate(_ order: Order, _ promise: DeliveryPromise, confirmedAt time: Date) -> String? {
        guard !parcels.isEmpty else { return promise.date(for: order, confirmedAt: time, from: location) }
        return parcels.compactMap { promise.date(for: order.only($0), confirmedAt: time, from: $0.location) }.max()
    }
}
