import OMSDomain
import Testing

@Suite("Parcels of an order split across locations")
struct ParcelTests {
    static let order = try! OrderCoding.decode(Array("""
        {"id":"web-7","channel":"web","placed_at":"2026-11-22T10:00:00Z","currency":"GBP",
         "customer":{"name":"Ada","email":"ada@example.com"},
         "shipping_address":{"line1":"1 St","city":"London","postal_code":"N1 9GU","country":"GB"},
         "lines":[{"sku":"MUG","quantity":2,"unit_price":1250,"name":"Blue mug"},
                  {"sku":"TEA","quantity":1,"unit_price":500},
                  {"sku":"CARD","quantity":1,"unit_price":100},
                  {"sku":"MUG","quantity":1,"unit_price":1250}],
         "shipping":{"service":"standard"},"payment":{"method":"card","token":"tok_visa"},"tags":[]}
        """.utf8))

    @Test("one parcel per location, numbered nearest first; lines not stocked per location go in the first")
    func split() {
        let parcels = Parcel.split(Self.order, heldAt: ["MUG": "BER", "TEA": "LDN"], preference: ["LDN", "BER"])
        #expect(parcels == [
            Parcel(number: 1, location: "LDN", lines: [.init(sku: "TEA", quantity: 1), .init(sku: "CARD", quantity: 1)]),
            Parcel(number: 2, location: "BER", lines: [.init(sku: "MUG", quantity: 2), .init(sku: "MUG", quantity: 1)]),
        ])
        // A location the preference does not name comes after those it does.
        #expect(Parcel.split(Self.order, heldAt: ["MUG": "AAA", "TEA": "LDN"], preference: ["LDN"]).map(\.location)
                == ["LDN", "AAA"])
    }

    @Test("an order held at one location, or not per location at all, is not split")
    func whole() {
        #expect(Parcel.split(Self.order, heldAt: ["MUG": "BER", "TEA": "BER"], preference: ["LDN", "BER"]).isEmpty)
        #expect(Parcel.split(Self.order, heldAt: [:], preference: ["LDN"]).isEmpty)
    }

    @Test("a parcel's order keeps the lines' prices and titles; the field round-trips")
    func partAndField() throws {
        let parcels = Parcel.split(Self.order, heldAt: ["MUG": "BER", "TEA": "LDN"], preference: ["LDN", "BER"])
        let mugs = Self.order.only(parcels[1])
        #expect(mugs.lines.map(\.quantity) == [2, 1])
        #expect(mugs.lines.first?.name == "Blue mug")
        #expect(try mugs.total.minorUnits == 3750)
        #expect(mugs.customer == Self.order.customer)
        #expect(try Parcel.decode(Parcel.encode(parcels)) == parcels)
        #expect(try Parcel.decode(nil).isEmpty)
    }

    @Test("a summary reads the parcels as shipped when they are, else as planned; other fields read none")
    func summary() {
        let parcels = Parcel.split(Self.order, heldAt: ["MUG": "BER", "TEA": "LDN"], preference: ["LDN", "BER"])
        let planned = ParcelSummary.read(["parcels": Parcel.encode(parcels)])
        #expect(planned.map(\.text) == ["1 from LDN: 1 × TEA, 1 × CARD", "2 from BER: 2 × MUG, 1 × MUG"])
        let shipped = [ShippedParcel(number: 1, location: "LDN", lines: [.init(sku: "TEA", quantity: 1)],
                                     carrier: "table-rate", trackingNumber: "CS093311895GB", estimatedDelivery: nil)]
        let summaries = ParcelSummary.read(["parcels": Parcel.encode(parcels),
                                            "shipped_parcels": ShippedParcel.encode(shipped)])
        #expect(summaries.map(\.text) == ["1 from LDN: 1 × TEA (table-rate CS093311895GB)"])
        #expect(ParcelSummary.read(["parcels": "not json"]).isEmpty)
        #expect(ParcelSummary.read([:]).isEmpty)
    }
}
