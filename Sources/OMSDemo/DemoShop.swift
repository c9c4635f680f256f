import Foundation
import OMSDomain
import OMSStore

/// The demo's shop: a small catalog with bins and reorder points, and a
/// seeded generator of orders from three channels with the mix a sales peak
/// brings (declined cards, sold-out SKUs, cancellations, deliveries, returns).
/// Pure: the same seed gives the same orders.
public struct DemoShop {
    struct Product {
        var sku: String
        var price: Int
        var location: String
        var grams: Int
        var name: String
        var hsCode: String
        var origin: String
        /// Stocked short on purpose: orders go to backorder until the restock midway.
        var scarce = false
        /// Kept in Berlin only: a London order with it and anything else ships in two parcels.
        var berlinOnly = false
    }

    struct PlannedOrder {
        var id: String
        var channel: String
        var lines: [(sku: String, quantity: Int)]
        var body: [String: Any]
    }


    /// Orders above this total (£120) are held for a person; the demo releases them.
    static let holdRules = #"{"max_total": {"GBP": 12000}}"#

    /// Two warehouses: London (the default) and Berlin, which holds a quarter
    /// of most SKUs, none of the scarce ones and every poster.
    static let (london, berlin) = ("LON-1", "BER-1")
    static let routingRules = #"""
        {"default_location": "LON-1", "locations": {
          "LON-1": {"country": "GB", "name": "Example Shop London", "lines": ["Unit 4, Riverside Park"],
                    "city": "London", "postal_code": "E16 2AB"},
          "BER-1": {"country": "DE", "name": "Example Shop Berlin", "lines": ["Lagerstraße 5"],
                    "city": "Berlin", "postal_code": "10115"}},
         "rules": []}
        """#

    static let catalog: [Product] = [
        Product(sku: "MUG-BLUE", price: 1250, location: "A-01-01", grams: 350, name: "Blue enamel mug", hsCode: "691200", origin: "GB"),
        Product(sku: "MUG-RED", price: 1250, location: "A-01-02", grams: 350, name: "Red enamel mug", hsCode: "691200", origin: "GB"),
        Product(sku: "TEE-BLACK-M", price: 1900, location: "B-02-01", grams: 180, name: "Black tee, M", hsCode: "610910", origin: "PT"),
        Product(sku: "TEE-WHITE-L", price: 1900, location: "B-02-02", grams: 190, name: "White tee, L", hsCode: "610910", origin: "PT"),
        Product(sku: "HOODIE-GREY-M", price: 4500, location: "B-03-01", grams: 600, name: "Grey hoodie, M", hsCode: "611020", origin: "PT"),
        Product(sku: "CAP-NAVY", price: 1500, location: "C-01-04", grams: 120, name: "Navy cap", hsCode: "650500", origin: "GB"),
        Product(sku: "TOTE-CANVAS", price: 1200, location: "C-02-01", grams: 200, name: "Canvas tote", hsCode: "420222", origin: "IN"),
        Product(sku: "POSTER-A2", price: 900, location: "D-01-01", grams: 150, name: "Poster, A2", hsCode: "491191", origin: "DE", berlinOnly: true),
        Product(sku: "NOTEBOOK-A5", price: 800, location: "D-02-03", grams: 250, name: "Notebook, A5", hsCode: "482010", origin: "GB"),
        Product(sku: "LAMP-BRASS", price: 6500, location: "E-01-01", grams: 1800, name: "Brass desk lamp", hsCode: "940520", origin: "GB", scarce: true),
        Product(sku: "SCARF-WOOL", price: 3200, location: "E-02-02", grams: 220, name: "Wool scarf", hsCode: "611710", origin: "GB", scarce: true),
    ]

    static let channels: [(name: String, share: Double)] = [("web", 0.5), ("amazon", 0.3), ("ebay", 0.2)]
    /// Share of web orders paid with a card the sandbox gateway declines.
    static let declineShare = 0.05
    static let cancelShare = 0.03
    static let deliveryShare = 0.92
    static let returnShare = 0.06

    let prefix: String
    let run: String

    /// `prefix` keeps the SKUs of several demos on one Redis apart; `run` names the orders.
    public init(prefix: String, run: String) {
        self.prefix = prefix
        self.run = run
    }

    func sku(_ product: Product) -> String { prefix + product.sku }

    /// The catalog entries `oms catalog import` would store for this run's SKUs.
    var catalogEntries: [OMSDomain.Product] {
        Self.catalog.map { OMSDomain.Product(sku: sku($0), title: $0.name, weightGrams: $0.grams, hsCode: $0.hsCode,
                                             origin: $0.origin) }
    }

    /// Units to stock at the start: ample for most SKUs, short for the scarce
    /// ones; reorder points at a third, so the busiest SKUs end up low.
    /// `perLocation`: split between London and Berlin (`routingRules`), the
    /// posters all in Berlin.
    func openingStock(orders: Int, perLocation: Bool) -> [StockSetting] {
        Self.catalog.flatMap { product in
            let available = product.scarce ? orders / 40 + 5 : orders * 3 / 10 + 20
            let setting = StockSetting(sku: sku(product), available: available, bin: product.location,
                                       reorderPoint: max(available / 3, 5))
            guard perLocation else { return [setting] }
            let inBerlin = product.berlinOnly ? available : product.scarce ? 0 : available / 4
            var london = setting
            london.available = available - inBerlin
            london.location = Self.london
            return [london, StockSetting(sku: sku(product), available: inBerlin, location: Self.berlin)]
        }
    }

    /// The restock of each scarce SKU published halfway through the peak, in
    /// London (for stock not kept per location, the location only says where).
    func restock(orders: Int) -> [(sku: String, quantity: Int, location: String)] {
        Self.catalog.filter(\.scarce).map { (sku($0), orders / 20 + 10, Self.london) }
    }

    func orders(_ count: Int, rng: inout some RandomNumberGenerator, placedAt: Date) -> [PlannedOrder] {
        (1..<count + 1).map { number in
            let channel = pickChannel(&rng)
            let id = "\(channel)-\(run)-\(String(format: "%05d", number))"
            let lines = pickLines(&rng)
            return PlannedOrder(id: id, channel: channel, lines: lines,
                                body: body(id: id, number: number, channel: channel, lines: lines,
                                           rng: &rng, placedAt: placedAt))
        }
    }

    private func pickChannel(_ rng: inout some RandomNumberGenerator) -> String {
        var roll = Double.random(in: 0..<1, using: &rng)
        for channel in Self.channels {
            if roll < channel.share { return channel.name }
            roll -= channel.share
        }
        return Self.channels[0].name
    }

    private func pickLines(_ rng: inout some RandomNumberGenerator) -> [(sku: String, quantity: Int)] {
        let count = [1, 1, 1, 2, 2, 3].randomElement(using: &rng)!
        var products = Self.catalog.filter { !$0.scarce }.shuffled(using: &rng).prefix(count)
        // The scarce SKUs are what the peak is about: one order in eight asks for one.
        if Int.random(in: 0..<8, using: &rng) == 0, let scarce = Self.catalog.filter(\.scarce).randomElement(using: &rng) {
            products = products.dropLast() + [scarce]
        }
        return products.map { (sku($0), [1, 1, 1, 2].randomElement(using: &rng)!) }
    }

    private func body(id: String, number: Int, channel: String, lines: [(sku: String, quantity: Int)],
                      rng: inout some RandomNumberGenerator, placedAt: Date) -> [String: Any] {
        let customer = Self.customers.randomElement(using: &rng)!
        let address = Self.addresses.randomElement(using: &rng)!
        let declined = channel == "web" && Double.random(in: 0..<1, using: &rng) < Self.declineShare
        let payment: [String: Any] = channel == "web"
            ? ["method": "card", "token": declined ? "tok_chargeDeclined" : "tok_visa"]
            : ["method": "prepaid"]
        let products = Dictionary(uniqueKeysWithValues: Self.catalog.map { (sku($0), $0) })
        return [
            "id": id, "channel": channel, "external_id": "#\(channel.prefix(2).uppercased())\(100_000 + number)",
            "placed_at": ISO8601DateFormatter().string(from: placedAt), "currency": "GBP",
            "customer": ["name": customer, "email": customer.lowercased().replacingOccurrences(of: " ", with: ".")
                + "@example.com"],
            "shipping_address": address,
            // Marketplaces send SKUs and prices only: capture fills in titles,
            // weights and customs data from the catalog the demo imports.
            "lines": lines.map { line in
                let product = products[line.sku]!
                var fields: [String: Any] = ["sku": line.sku, "quantity": line.quantity, "unit_price": product.price]
                if channel == "web" {
                    fields.merge(["name": product.name, "weight_grams": product.grams, "hs_code": product.hsCode,
                                  "origin_country": product.origin]) { _, new in new }
                }
                return fields
            },
            "shipping": ["service": Int.random(in: 0..<5, using: &rng) == 0 ? "express" : "standard"],
            "payment": payment,
        ]
    }

    static let customers = [
        "Ada Lovelace", "Charles Babbage", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra",
        "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Dennis Ritchie", "Frances Allen", "John Backus",
    ]

    static let addresses: [[String: String]] = [
        ["line1": "12 Analytical St", "city": "London", "postal_code": "N1 9GU", "country": "GB"],
        ["line1": "4 Engine Row", "city": "Manchester", "postal_code": "M1 1AE", "country": "GB"],
        ["line1": "88 Loom Lane", "city": "Leeds", "postal_code": "LS1 4DY", "country": "GB"],
        ["line1": "7 Harbour Rd", "city": "Bristol", "postal_code": "BS1 5TR", "country": "GB"],
        ["line1": "21 Castle Wynd", "city": "Edinburgh", "postal_code": "EH1 2NG", "country": "GB"],
        ["line1": "Torstraße 15", "city": "Berlin", "postal_code": "10119", "country": "DE"],
        ["line1": "3 rue des Lilas", "city": "Paris", "postal_code": "75019", "country": "FR"],
        ["line1": "1 Compiler Way", "city": "Boston", "region": "MA", "postal_code": "02110", "country": "US"],
    ]
}

/// SplitMix64: a small seeded generator, so `--seed` replays the same peak.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
