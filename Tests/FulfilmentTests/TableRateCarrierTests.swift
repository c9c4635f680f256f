import Fulfilment
import OMSDomain
import Testing

@Suite("table-rate carrier")
struct TableRateCarrierTests {
    let carrier = TableRateCarrier()
    let eur = Currency(code: "EUR")!

    func shipment(from origin: String = "GB", to destination: String, grams: Int,
                  _ service: Order.Shipping.Service = .standard) -> Shipment {
        Shipment(orderID: "web-1", originCountry: origin, destinationCountry: destination, weightGrams: grams,
                 service: service, declaredValue: Money(minorUnits: 2500, currency: Currency(code: "USD")!))
    }

    func prices(_ rates: [Rate]) -> [String] {
        rates.map { "\($0.service.rawValue) \($0.price) \($0.transitDays)d" }
    }

    func refusal(_ shipment: Shipment) -> CarrierError? {
        do {
            _ = try carrier.quote(shipment)
            return nil
        } catch {
            return error
        }
    }

    @Test("the embedded default table decodes and names the carrier table-rate")
    func defaultTable() throws {
        #expect(try RateTable.decode(from: RateTable.defaultDocument) == RateTable.default)
        #expect(RateTable.default.currency == eur)
        #expect(RateTable.default.defaultItemWeightGrams == 500)
        #expect(carrier.name == "table-rate")
    }

    @Test("a light domestic parcel: every service meets standard, standard is cheapest")
    func domesticLight() throws {
        let rates = try carrier.quote(shipment(to: "GB", grams: 300))
        #expect(prices(rates) == ["standard 3.95 EUR 3d", "express 6.95 EUR 2d", "overnight 11.95 EUR 1d"])
        #expect(rates.allSatisfy { $0.carrier == "table-rate" })
    }

    @Test("a heavy EU parcel sent express is priced from the 20 kg bracket and never offered standard")
    func euHeavy() throws {
        let rates = try carrier.quote(shipment(to: "DE", grams: 15_000, .express))
        #expect(prices(rates) == ["express 64.95 EUR 3d", "overnight 99.95 EUR 1d"])
    }

    @Test("a weight on a bracket's bound is in that bracket; one gram more is in the next")
    func bracketBounds() throws {
        #expect(try carrier.quote(shipment(to: "GB", grams: 500)).first?.price.minorUnits == 395)
        #expect(try carrier.quote(shipment(to: "GB", grams: 501)).first?.price.minorUnits == 495)
    }

    @Test("over the last bracket: the last price plus per_extra_kg per started kilogram; overnight stops at 30 kg")
    func openEnded() throws {
        // 32 500 g is 2 500 g over 30 kg: 3 started kilograms.
        let rates = try carrier.quote(shipment(to: "DE", grams: 32_500))
        #expect(prices(rates) == ["standard 65.35 EUR 5d", "express 92.45 EUR 3d"])  // 5995 + 3 × 180, 8495 + 3 × 250
        let refused = refusal(shipment(to: "DE", grams: 35_000, .overnight))
        #expect(refused?.description
            == "table-rate cannot carry 35000 g overnight to DE (zone eu): the heaviest it takes is 30000 g")
        #expect(refused?.isTransient == false)
    }

    @Test("weight 0 is priced as one item of the table's default weight")
    func zeroWeight() throws {
        let rates = try carrier.quote(shipment(to: "GB", grams: 0))
        #expect(rates.first?.price.minorUnits == 395)  // 500 g: the first bracket
    }

    @Test("an express request never gets standard, even though standard is cheaper")
    func expressNeverStandard() throws {
        let rates = try carrier.quote(shipment(to: "US", grams: 1000, .express))
        #expect(!rates.contains { $0.service == .standard })
        #expect(rates.first?.service == .express)
        #expect(try carrier.quote(shipment(to: "US", grams: 1000, .overnight)).map(\.service) == [.overnight])
    }

    @Test("a standard request goes express where express costs less, and an equal price goes to the faster")
    func cheaperFasterService() throws {
        let table = try RateTable.decode(from: Array("""
            { "currency": "EUR", "default_item_weight_grams": 500, "weight_brackets_grams": [1000, 10000],
              "domestic_zone": "home", "default_zone": "home",
              "zones": { "home": { "services": {
                "standard":  { "transit_days": 4, "prices": [500, 3000] },
                "express":   { "transit_days": 2, "prices": [800, 2500] },
                "overnight": { "transit_days": 1, "prices": [1500, 3000] } } } } }
            """.utf8))
        let carrier = TableRateCarrier(table: table)
        let heavy = try carrier.quote(shipment(to: "FR", grams: 5000))
        #expect(heavy.map(\.service) == [.express, .overnight, .standard])  // 25.00, then 30.00 overnight before standard
        #expect(try carrier.quote(shipment(to: "FR", grams: 900)).first?.service == .standard)
    }

    @Test("domestic means the shipment's own origin country, whichever it is")
    func domesticIsTheOrigin() throws {
        #expect(try carrier.quote(shipment(from: "US", to: "US", grams: 1000)).first?.price.minorUnits == 495)
        // From the US, GB is in the "europe" zone.
        #expect(try carrier.quote(shipment(from: "US", to: "GB", grams: 1000)).first?.price.minorUnits == 1295)
        // A country listed nowhere is in the default zone, rest-of-world.
        #expect(try carrier.quote(shipment(to: "JP", grams: 1000)).first?.price.minorUnits == 2295)
    }

    @Test("an unknown country is refused, saying it is not an ISO 3166-1 code")
    func unknownCountry() {
        let error = refusal(shipment(to: "XX", grams: 100))
        #expect(error?.description == "cannot ship to 'XX': not an ISO 3166-1 alpha-2 country code")
        #expect(error?.kind == .refused)
        #expect(error?.carrier == "table-rate")
        #expect(refusal(shipment(to: "gb", grams: 100))?.description
            == "cannot ship to 'gb': not an ISO 3166-1 alpha-2 country code")
    }

    @Test("an unserved country is refused by name", arguments: ["KP", "IR", "AQ"])
    func unservedCountry(country: String) {
        let error = refusal(shipment(to: country, grams: 100))
        #expect(error?.description == "table-rate does not ship to \(country)")
        #expect(error?.isTransient == false)
    }

    @Test("a service the zone does not offer is refused, listing what it offers")
    func serviceNotOffered() throws {
        let table = try RateTable.decode(from: Array("""
            { "currency": "GBP", "default_item_weight_grams": 250, "weight_brackets_grams": [2000],
              "domestic_zone": "home", "default_zone": "abroad",
              "zones": { "home": { "services": { "standard": { "transit_days": 2, "prices": [300] } } },
                         "abroad": { "services": { "standard": { "transit_days": 9, "prices": [900] },
                                                   "express": { "transit_days": 4, "prices": [1900] } } } } }
            """.utf8))
        do {
            _ = try TableRateCarrier(table: table).quote(shipment(to: "AU", grams: 100, .overnight))
            Issue.record("quoted a service the zone does not offer")
        } catch {
            #expect(error.description == "table-rate has no overnight service to AU (zone abroad); offered: standard, express")
        }
    }

    @Test("the same idempotency key buys the same label; another key another tracking number")
    func purchaseIdempotency() async throws {
        let parcel = shipment(to: "DE", grams: 1200)
        let rate = try #require(try carrier.quote(parcel).first)
        let first = try await carrier.purchase(rate, for: parcel, idempotencyKey: "web-1:label")
        let again = try await carrier.purchase(rate, for: parcel, idempotencyKey: "web-1:label")
        let other = try await carrier.purchase(rate, for: parcel, idempotencyKey: "web-2:label")
        #expect(first == again)
        #expect(first.trackingNumber != other.trackingNumber)
        #expect(first.carrier == "table-rate")
        #expect(first.service == .standard)
        #expect(first.price == Money(minorUnits: 1395, currency: eur))
        #expect(TrackingNumber.isValid(first.trackingNumber))
        #expect(first.trackingNumber.hasPrefix("C"))  // S10 parcels
        #expect(first.trackingNumber.hasSuffix("GB"))  // issued where it leaves
    }

    @Test("express and overnight labels carry the EMS indicator E")
    func expressLabel() async throws {
        let parcel = shipment(from: "US", to: "US", grams: 800, .overnight)
        let rate = try #require(try carrier.quote(parcel).first)
        let label = try await carrier.purchase(rate, for: parcel, idempotencyKey: "web-3:label")
        #expect(label.trackingNumber.hasPrefix("E"))
        #expect(label.trackingNumber.hasSuffix("US"))
        #expect(TrackingNumber.isValid(label.trackingNumber))
    }

    @Test("a rate from another carrier, or no idempotency key, buys nothing")
    func purchaseRefusals() async throws {
        let parcel = shipment(to: "GB", grams: 100)
        let foreign = Rate(carrier: "easypost", service: .standard, price: Money(minorUnits: 1, currency: eur),
                           transitDays: 2)
        await #expect(throws: CarrierError(.refused, "table-rate cannot sell a label for a rate quoted by easypost",
                                           carrier: "table-rate")) {
            try await carrier.purchase(foreign, for: parcel, idempotencyKey: "k")
        }
        let rate = try #require(try carrier.quote(parcel).first)
        await #expect(throws: CarrierError.self) { try await carrier.purchase(rate, for: parcel, idempotencyKey: "") }
    }
}
