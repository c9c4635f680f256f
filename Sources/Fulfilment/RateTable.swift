import OMSDomain

/// The prices of the `table-rate` carrier: by destination zone, service and
/// weight bracket, in minor units of one currency. Decoded from JSON (see
/// config/README.md); the default is `Defaults/rate-table.json`, embedded in
/// the binary.
///
/// - Zones: each lists its destination countries. A destination in the
///   shipment's own origin country is in the domestic zone, whatever the lists
///   say; one listed nowhere is in the default zone. A zone may be marked not
///   served.
/// - Weight brackets are upper bounds in grams, ascending: a parcel is in the
///   first bracket whose bound is at least its weight (500 g is in the 500 g
///   bracket). Above the last bound a service costs its last price plus
///   `per_extra_kg` for every started kilogram, or is not offered when it has
///   no `per_extra_kg`.
public struct RateTable: Sendable, Hashable {
    public struct Zone: Sendable, Hashable {
        public var name: String
        public var countries: Set<String>
        /// False for a zone the carrier does not ship to at all.
        public var served: Bool
        /// The services offered to this zone; a served zone offers at least one.
        public var services: [Order.Shipping.Service: ServiceRates]
    }

    public struct ServiceRates: Sendable, Hashable {
        public var transitDays: Int
        /// Minor units, one per weight bracket, never decreasing.
        public var prices: [Int64]
        /// Minor units per started kilogram above the last bracket; nil when
        /// the last bracket is the heaviest this service takes.
        public var perExtraKilogram: Int64?
    }

    /// The currency of every price in the table.
    public let currency: Currency
    /// The weight of an order line's unit when the order does not say (or says 0).
    public let defaultItemWeightGrams: Int
    public let weightBracketsGrams: [Int]
    public let zones: [String: Zone]
    public let domesticZone: String
    public let defaultZone: String
    /// The dispatch cut-off (`dispatch_cutoff`, HH:MM UTC, default 14:00) and business days.
    public let dispatch: DispatchCalendar

    /// Country → the zone that lists it, built once from `zones`.
    private let zoneOfCountry: [String: String]

    init(currency: Currency, defaultItemWeightGrams: Int, weightBracketsGrams: [Int], zones: [String: Zone],
         domesticZone: String, defaultZone: String, dispatch: DispatchCalendar = DispatchCalendar()) {
        self.dispatch = dispatch
        self.currency = currency
        self.defaultItemWeightGrams = defaultItemWeightGrams
        self.weightBracketsGrams = weightBracketsGrams
        self.zones = zones
        self.domesticZone = domesticZone
        self.defaultZone = defaultZone
        var zoneOfCountry: [String: String] = [:]
        for zone in zones.values {
            for country in zone.countries { zoneOfCountry[country] = zone.name }
        }
        self.zoneOfCountry = zoneOfCountry
    }

    /// The zone of a destination as seen from an origin country.
    public func zone(from origin: String, to destination: String) -> Zone {
        let name = destination == origin ? domesticZone : zoneOfCountry[destination] ?? defaultZone
        // `decode` checks that the domestic and default zones exist.
        return zones[name] ?? Zone(name: name, countries: [], served: false, services: [:])
    }

    /// The price in minor units of `weightGrams` at `rates`, or nil when the
    /// weight is over what that service takes.
    public func price(_ rates: ServiceRates, weightGrams: Int) -> Int64? {
        if let bracket = weightBracketsGrams.firstIndex(where: { weightGrams <= $0 }) {
            return rates.prices[bracket]
        }
        guard let perKilogram = rates.perExtraKilogram, let last = weightBracketsGrams.last,
              let lastPrice = rates.prices.last else { return nil }
        let extraKilograms = Int64((weightGrams - last + 999) / 1000)
        let (extra, overflow) = perKilogram.multipliedReportingOverflow(by: extraKilograms)
        guard !overflow else { return nil }
        let (total, overflowTotal) = lastPrice.addingReportingOverflow(extra)
        return overflowTotal ? nil : total
    }

    /// The table oms ships with: `Sources/Fulfilment/Defaults/rate-table.json`.
    /// A test decodes it, so a broken default fails the build's tests, never a worker.
    public static let `default`: RateTable = {
        do {
            return try decode(from: defaultDocument)
        } catch {
            fatalError("the embedded default rate table is invalid: \(error)")
        }
    }()

    /// The bytes of the default table, for a user to copy and edit
    /// (`OMS_RATE_TABLE` names the edited file).
    public static var defaultDocument: [UInt8] { PackageResources.rate_table_json }
}
