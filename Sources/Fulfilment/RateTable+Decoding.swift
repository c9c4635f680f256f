import OMSDomain

extension RateTable {
    /// Reads a rate table from JSON bytes (the format is in config/README.md),
    /// checking everything the carrier relies on: every price list as long as
    /// the brackets, brackets ascending, no country in two zones, the domestic
    /// and default zones present.
    public static func decode(from bytes: [UInt8]) throws(ConfigurationError) -> RateTable {
        let root = try ConfigValue.root(bytes, document: "rate table").object(allowed: [
            "currency", "default_item_weight_grams", "weight_brackets_grams", "domestic_zone", "default_zone",
            "zones", "dispatch_cutoff",
        ])

        let currencyValue = try root.required("currency")
        let code = try currencyValue.string()
        guard let currency = Currency(code: code) else {
            throw currencyValue.failure("'\(code)' is not an ISO 4217 currency code")
        }
        let itemWeight = try root.required("default_item_weight_grams")
            .integer(1...1_000_000, meaning: "a whole number of grams")

        var brackets: [Int] = []
        for item in try root.required("weight_brackets_grams").array() {
            let bound = try item.integer(1...10_000_000, meaning: "a whole number of grams")
            if let previous = brackets.last, bound <= previous {
                throw item.failure("must be more than the bracket before it (\(previous)): "
                    + "brackets are upper bounds in ascending order")
            }
            brackets.append(bound)
        }

        let zonesObject = try root.required("zones").object(allowed: nil)
        guard !zonesObject.keys.isEmpty else { throw zonesObject.failure("must define at least one zone") }
        var zones: [String: Zone] = [:]
        var zoneOfCountry: [String: String] = [:]
        for name in zonesObject.keys {
            zones[name] = try decodeZone(name, try zonesObject.required(name), brackets: brackets,
                                         zoneOfCountry: &zoneOfCountry)
        }

        let domesticValue = try root.required("domestic_zone")
        let domestic = try domesticValue.string()
        guard let domesticZone = zones[domestic] else {
            throw domesticValue.failure("'\(domestic)' is not a zone in zones")
        }
        guard domesticZone.countries.isEmpty else {
            throw ConfigurationError(document: "rate table", path: "zones.\(domestic).countries",
                                     problem: "must be left out: the domestic zone is every destination in "
                                         + "the shipment's own origin country")
        }
        let defaultValue = try root.required("default_zone")
        let defaultZone = try defaultValue.string()
        guard zones[defaultZone] != nil else {
            throw defaultValue.failure("'\(defaultZone)' is not a zone in zones")
        }

        var dispatch = DispatchCalendar()
        if let cutoffValue = root.optional("dispatch_cutoff") {
            let text = try cutoffValue.string()
            guard let minutes = DispatchCalendar.minutes(text) else {
                throw cutoffValue.failure("'\(text)' is not a time of day as HH:MM (UTC)")
            }
            dispatch.cutoffMinutes = minutes
        }

        return RateTable(currency: currency, defaultItemWeightGrams: itemWeight, weightBracketsGrams: brackets,
                         zones: zones, domesticZone: domestic, defaultZone: defaultZone, dispatch: dispatch)
    }

    private static func decodeZone(_ name: String, _ value: ConfigValue, brackets: [Int],
                                   zoneOfCountry: inout [String: String]) throws(ConfigurationError) -> Zone {
        let fields = try value.object(allowed: ["countries", "served", "services"])
        var countries: Set<String> = []
        for item in try fields.optional("countries")?.array(nonEmpty: false) ?? [] {
            let country = try item.country()
            if let other = zoneOfCountry[country] {
                throw item.failure(other == name ? "'\(country)' is listed twice"
                    : "'\(country)' is already in zone \(other): a country belongs to one zone")
            }
            zoneOfCountry[country] = name
            countries.insert(country)
        }
        let served = try fields.optional("served")?.bool() ?? true
        guard served else {
            if let services = fields.optional("services") {
                throw services.failure("must be left out: zone \(name) is not served")
            }
            return Zone(name: name, countries: countries, served: false, services: [:])
        }
        let servicesObject = try fields.required("services")
            .object(allowed: Set(Order.Shipping.Service.allCases.map(\.rawValue)))
        guard !servicesObject.keys.isEmpty else {
            throw servicesObject.failure("must offer at least one service, or the zone must say \"served\": false")
        }
        var services: [Order.Shipping.Service: ServiceRates] = [:]
        for key in servicesObject.keys {
            guard let service = Order.Shipping.Service(rawValue: key) else { continue }
            services[service] = try decodeRates(try servicesObject.required(key), brackets: brackets)
        }
        return Zone(name: name, countries: countries, served: true, services: services)
    }

    private static func decodeRates(_ value: ConfigValue, brackets: [Int]) throws(ConfigurationError) -> ServiceRates {
        let fields = try value.object(allowed: ["transit_days", "prices", "per_extra_kg"])
        let transitDays = try fields.required("transit_days").integer(0...365, meaning: "a whole number of days")
        let pricesValue = try fields.required("prices")
        let items = try pricesValue.array()
        guard items.count == brackets.count else {
            throw pricesValue.failure("must have one price per weight bracket (\(brackets.count)), not \(items.count)")
        }
        var prices: [Int64] = []
        for item in items {
            let price = Int64(try item.integer(0...1_000_000_000, meaning: "a price in minor units"))
            if let previous = prices.last, price < previous {
                throw item.failure("must not be less than the price before it (\(previous)): "
                    + "a heavier parcel never costs less")
            }
            prices.append(price)
        }
        var perExtraKilogram: Int64?
        if let value = fields.optional("per_extra_kg") {
            perExtraKilogram = Int64(try value.integer(0...1_000_000_000, meaning: "a price in minor units"))
        }
        return ServiceRates(transitDays: transitDays, prices: prices, perExtraKilogram: perExtraKilogram)
    }
}
