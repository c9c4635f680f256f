import OMSDomain

extension RoutingRules {
    /// Reads routing rules from JSON bytes, refusing anything that would route
    /// in a way the file's author did not mean: unknown fields, a location that
    /// is not in `locations`, a country code that does not exist, a rule that
    /// sets nothing or could never match. Errors name the rule and field:
    /// `routing rules: rules[2].then.location 'NYC-2' is not in locations (LON-1, NYC-1)`.
    public static func decode(from bytes: [UInt8]) throws(ConfigurationError) -> RoutingRules {
        let root = try ConfigValue.root(bytes, document: "routing rules")
            .object(allowed: ["default_location", "locations", "rules"])

        let locationsObject = try root.required("locations").object(allowed: nil)
        guard !locationsObject.keys.isEmpty else { throw locationsObject.failure("must name at least one location") }
        var locations: [String: String] = [:]
        var addresses: [String: PostalAddress] = [:]
        for name in locationsObject.keys {
            let value = try locationsObject.required(name)
            guard isLocationName(name) else {
                throw value.failure("is not a location name: use 1 to 64 letters, digits or . _ -")
            }
            guard case .object = value.value else {
                locations[name] = try value.country()
                continue
            }
            let address = try decodeAddress(value)
            locations[name] = address.country
            addresses[name] = address
        }
        let known = locations.keys.sorted().joined(separator: ", ")

        let defaultValue = try root.required("default_location")
        let defaultLocation = try defaultValue.string()
        guard locations[defaultLocation] != nil else {
            throw defaultValue.failure("'\(defaultLocation)' is not in locations (\(known))")
        }

        var rules: [RoutingRule] = []
        for item in try root.optional("rules")?.array(nonEmpty: false) ?? [] {
            rules.append(try decodeRule(item, locations: locations, known: known))
        }
        return RoutingRules(defaultLocation: defaultLocation, locations: locations, addresses: addresses, rules: rules)
    }

    /// A location given as its address: `{"country", "name", "lines", "city",
    /// "region"?, "postal_code"?}` instead of a country code alone.
    private static func decodeAddress(_ value: ConfigValue) throws(ConfigurationError) -> PostalAddress {
        let fields = try value.object(allowed: ["country", "name", "lines", "city", "region", "postal_code"])
        var lines: [String] = []
        for line in try fields.required("lines").array() { lines.append(try line.string()) }
        return PostalAddress(name: try fields.required("name").string(), lines: lines,
                               city: try fields.required("city").string(),
                               region: try fields.optional("region")?.string(),
                               postalCode: try fields.optional("postal_code")?.string(),
                               country: try fields.required("country").country())
    }

    private static func decodeRule(_ value: ConfigValue, locations: [String: String],
                                   known: String) throws(ConfigurationError) -> RoutingRule {
        let fields = try value.object(allowed: ["name", "when", "then"])
        var rule = RoutingRule()
        rule.name = try fields.optional("name")?.string()

        if let when = try fields.optional("when")?
            .object(allowed: ["channels", "tags_any", "countries", "weight_over_grams", "weight_under_grams"]) {
            rule.channels = try when.optional("channels").map(labels)
            rule.tagsAny = try when.optional("tags_any").map(labels)
            if let list = when.optional("countries") {
                var countries: Set<String> = []
                for item in try list.array() {
                    let country = try item.country()
                    guard countries.insert(country).inserted else { throw item.failure("'\(country)' is listed twice") }
                }
                rule.countries = countries
            }
            rule.weightOverGrams = try when.optional("weight_over_grams")?
                .integer(0...10_000_000, meaning: "a whole number of grams")
            rule.weightUnderGrams = try when.optional("weight_under_grams")?
                .integer(1...10_000_000, meaning: "a whole number of grams")
            if let over = rule.weightOverGrams, let under = rule.weightUnderGrams, over + 1 >= under {
                throw when.failure("can never match: no whole weight is over \(over) g and under \(under) g")
            }
        }

        let then = try fields.required("then").object(allowed: ["location", "service"])
        if let locationValue = then.optional("location") {
            let location = try locationValue.string()
            guard locations[location] != nil else {
                throw locationValue.failure("'\(location)' is not in locations (\(known))")
            }
            rule.location = location
        }
        if let serviceValue = then.optional("service") {
            let service = try serviceValue.service()
            guard service.speed > Order.Shipping.Service.standard.speed else {
                throw serviceValue.failure("'\(service.rawValue)' would never change a route: rules only upgrade "
                    + "the requested service (standard < express < overnight)")
            }
            rule.service = service
        }
        guard rule.location != nil || rule.service != nil else {
            throw then.failure("must set location, service or both")
        }
        return rule
    }

    /// Channels and tags, which `order.place` allows only as 1 to 50 lowercase
    /// letters, digits, _ or -: anything else could never match.
    private static func labels(_ value: ConfigValue) throws(ConfigurationError) -> Set<String> {
        var labels: Set<String> = []
        for item in try value.array() {
            let label = try item.string()
            let bytes = Array(label.utf8)
            guard bytes.count <= 50, let first = bytes.first, isLowerOrDigit(first),
                  bytes.allSatisfy({ isLowerOrDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) else {
                throw item.failure("'\(label)' can never match: channels and tags are 1 to 50 lowercase letters, "
                    + "digits, _ or - starting with a letter or digit")
            }
            guard labels.insert(label).inserted else { throw item.failure("'\(label)' is listed twice") }
        }
        return labels
    }

    private static func isLowerOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLocationName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
