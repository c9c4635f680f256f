import Foundation
import OMSDomain

/// The built-in `table-rate` carrier (DESIGN.md): prices by weight, zone and
/// service from a `RateTable`, and sells labels with UPU S10 tracking numbers.
/// It answers from memory, so it is never unavailable.
///
/// A service meets the requested one when its transit days to the zone are no
/// more than the requested service's: an express request is never sent
/// standard, and a standard request goes express when express is cheaper
/// there. `quote` returns every service that meets the request, cheapest first.
public struct TableRateCarrier: Carrier {
    public static let name = "table-rate"

    public let table: RateTable

    public init(table: RateTable = .default) {
        self.table = table
    }

    public var name: String { Self.name }

    /// The delivery date promised when the order comes in: the rate ship will
    /// buy (the cheapest that meets the requested service), dispatched by the
    /// table's calendar; nil when no service reaches the destination.
    public func estimatedDelivery(for shipment: Shipment, orderedAt time: Date) -> Date? {
        guard let rate = try? quote(shipment).first else { return nil }
        return table.dispatch.delivery(after: time, transitDays: rate.transitDays)
    }

    public func quote(_ shipment: Shipment) throws(CarrierError) -> [Rate] {
        let destination = shipment.destinationCountry
        guard Country.codes.contains(destination) else {
            throw refused("cannot ship to '\(destination)': not an ISO 3166-1 alpha-2 country code")
        }
        guard Country.codes.contains(shipment.originCountry) else {
            throw refused("cannot ship from '\(shipment.originCountry)': not an ISO 3166-1 alpha-2 country code")
        }
        guard shipment.weightGrams >= 0 else {
            throw refused("cannot ship order \(shipment.orderID): its weight \(shipment.weightGrams) g is negative")
        }
        let zone = table.zone(from: shipment.originCountry, to: destination)
        guard zone.served else { throw refused("\(name) does not ship to \(destination)") }
        guard let requested = zone.services[shipment.service] else {
            throw refused("\(name) has no \(shipment.service.rawValue) service to \(destination) (zone \(zone.name)); "
                + "offered: \(Self.names(zone.services.keys))")
        }
        let weight = shipment.weightGrams == 0 ? table.defaultItemWeightGrams : shipment.weightGrams
        var rates: [Rate] = []
        for (service, offer) in zone.services where offer.transitDays <= requested.transitDays {
            guard let price = table.price(offer, weightGrams: weight) else { continue }
            rates.append(Rate(carrier: name, service: service, price: Money(minorUnits: price, currency: table.currency),
                              transitDays: offer.transitDays))
        }
        guard !rates.isEmpty else {
            throw refused("\(name) cannot carry \(weight) g \(shipment.service.rawValue) to \(destination) "
                + "(zone \(zone.name)): the heaviest it takes is \(table.weightBracketsGrams.last ?? 0) g")
        }
        return rates.sorted { a, b in
            (a.price.minorUnits, a.transitDays, a.service.speed) < (b.price.minorUnits, b.transitDays, b.service.speed)
        }
    }

    /// Issues the label for `rate`. Nothing is stored: the tracking number is
    /// derived from the idempotency key, so buying again with the same key
    /// returns the same label, as a carrier API's idempotency would.
    ///
    /// The serial is the key's 64-bit FNV-1a hash mod 10⁸ and the indicator's
    /// second letter comes from the same hash: about 2.6 × 10⁹ numbers per
    /// service letter (C for standard parcels, E, the S10 letter of EMS, for
    /// express and overnight). Two keys may collide, which matters only to
    /// people reading numbers: oms finds shipments by order id.
    public func purchase(_ rate: Rate, for shipment: Shipment, idempotencyKey: String) async throws(CarrierError)
        -> PurchasedLabel {
        guard rate.carrier == name else {
            throw refused("\(name) cannot sell a label for a rate quoted by \(rate.carrier)")
        }
        guard !idempotencyKey.isEmpty else { throw refused("\(name) needs an idempotency key to sell a label") }
        let hash = UInt64(OrderCoding.contentHash(Array(idempotencyKey.utf8)), radix: 16) ?? 0
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let indicator = "\(rate.service == .standard ? "C" : "E")\(letters[Int((hash / 100_000_000) % 26)])"
        guard let number = TrackingNumber(serviceIndicator: indicator, serial: Int(hash % 100_000_000),
                                          country: shipment.originCountry) else {
            throw refused("cannot ship from '\(shipment.originCountry)': not an ISO 3166-1 alpha-2 country code")
        }
        return PurchasedLabel(trackingNumber: number.value, carrier: name, service: rate.service, price: rate.price)
    }

    private func refused(_ reason: String) -> CarrierError {
        CarrierError(.refused, reason, carrier: name)
    }

    private static func names(_ services: some Sequence<Order.Shipping.Service>) -> String {
        services.sorted { $0.speed < $1.speed }.map(\.rawValue).joined(separator: ", ")
    }
}
