import Foundation
import Fulfilment
import Testing

@Suite("Rate table files")
struct RateTableDecodingTests {
    /// A small valid table, with `replace` applied to its text.
    static func table(_ replace: [String: String] = [:]) -> [UInt8] {
        var text = """
            { "currency": "EUR", "default_item_weight_grams": 500, "weight_brackets_grams": [1000, 5000],
              "domestic_zone": "domestic", "default_zone": "world",
              "zones": {
                "domestic": { "services": { "standard": { "transit_days": 2, "prices": [400, 900] } } },
                "eu": { "countries": ["DE", "FR"],
                        "services": { "express": { "transit_days": 3, "prices": [1500, 2500], "per_extra_kg": 200 } } },
                "world": { "services": { "standard": { "transit_days": 9, "prices": [2000, 4000] } } },
                "unserved": { "countries": ["KP"], "served": false } } }
            """
        for (old, new) in replace { text = text.replacingOccurrences(of: old, with: new) }
        return Array(text.utf8)
    }

    static func problem(_ bytes: [UInt8]) -> String? {
        do {
            _ = try RateTable.decode(from: bytes)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a valid table decodes")
    func valid() throws {
        let table = try RateTable.decode(from: Self.table())
        #expect(table.weightBracketsGrams == [1000, 5000])
        #expect(table.zone(from: "GB", to: "FR").name == "eu")
        #expect(table.zone(from: "FR", to: "FR").name == "domestic")
        #expect(table.zone(from: "GB", to: "JP").name == "world")
        #expect(table.zone(from: "GB", to: "KP").served == false)
        #expect(table.zones["eu"]?.services[.express]?.perExtraKilogram == 200)
    }

    @Test("mistakes are refused with the field path and what to fix", arguments: [
        (["[400, 900]": "[400]"],
         "rate table: zones.domestic.services.standard.prices must have one price per weight bracket (2), not 1"),
        (["[1000, 5000]": "[5000, 1000]"],
         "rate table: weight_brackets_grams[1] must be more than the bracket before it (5000): "
             + "brackets are upper bounds in ascending order"),
        (["[1500, 2500]": "[2500, 1500]"],
         "rate table: zones.eu.services.express.prices[1] must not be less than the price before it (2500): "
             + "a heavier parcel never costs less"),
        (["[\"KP\"]": "[\"KP\", \"DE\"]"],
         "rate table: zones.unserved.countries[1] 'DE' is already in zone eu: a country belongs to one zone"),
        (["[\"DE\", \"FR\"]": "[\"DE\", \"XX\"]"],
         "rate table: zones.eu.countries[1] 'XX' is not an ISO 3166-1 alpha-2 country code"),
        (["\"EUR\"": "\"EURO\""], "rate table: currency 'EURO' is not an ISO 4217 currency code"),
        (["\"express\"": "\"fast\""],
         "rate table: zones.eu.services.fast is not a known field; expected one of express, overnight, standard"),
        (["\"transit_days\": 3": "\"transit_day\": 3"],
         "rate table: zones.eu.services.express.transit_day is not a known field; "
             + "expected one of per_extra_kg, prices, transit_days"),
        (["\"default_zone\": \"world\"": "\"default_zone\": \"earth\""],
         "rate table: default_zone 'earth' is not a zone in zones"),
        (["\"domestic\": { \"services\"": "\"domestic\": { \"countries\": [\"GB\"], \"services\""],
         "rate table: zones.domestic.countries must be left out: the domestic zone is every destination in "
             + "the shipment's own origin country"),
        (["\"served\": false": "\"served\": false, \"services\": {}"],
         "rate table: zones.unserved.services must be left out: zone unserved is not served"),
        (["\"default_item_weight_grams\": 500": "\"default_item_weight_grams\": 0"],
         "rate table: default_item_weight_grams must be a whole number of grams (1 to 1000000)"),
        (["{ \"currency\"": "[ \"currency\""], "rate table: the file is not valid JSON"),
    ])
    func refused(replace: [String: String], expected: String) {
        #expect(Self.problem(Self.table(replace)) == expected)
    }

    @Test("a missing field is named")
    func missing() {
        #expect(Self.problem(Array(#"{ "currency": "EUR" }"#.utf8)) == "rate table: default_item_weight_grams is required")
    }
}
