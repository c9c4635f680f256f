import OMSDomain

/// The customs declaration (the content of a CN22/CN23 form) of an order that
/// crosses a customs border: one line per order line, with totals, category
/// "sale of goods".
///
/// Every line must carry an HS code: carriers and customs systems want one for
/// each item (the EU's ICS2 since 2023, the UK and US for commercial goods),
/// and a guessed or generic code gets parcels held or returned. So an order
/// with a line lacking `hs_code` is refused, naming every such line; the shop
/// fixes its product data and replays the order. Orders that stay inside one
/// customs territory need no declaration and no HS codes.
///
/// A line without `origin_country` (where the goods were made) is declared as
/// made in the country it ships from — what most shops' defaults do; set
/// `origin_country` on imported products.
public struct CustomsDeclaration: Sendable, Hashable, Codable {
    public enum Category: String, Sendable, Hashable, Codable {
        case saleOfGoods = "sale of goods"
    }

    public struct Line: Sendable, Hashable, Codable {
        /// The line's name, or its SKU when it has none.
        public var description: String
        public var quantity: Int
        /// Goods only, no packaging: unit weight (or the default) times quantity.
        public var netWeightGrams: Int
        /// Unit price times quantity, in the order's currency.
        public var value: Money
        public var hsCode: String
        /// Where the goods were made.
        public var originCountry: String

        enum CodingKeys: String, CodingKey {
            case description, quantity, value
            case netWeightGrams = "net_weight_grams"
            case hsCode = "hs_code"
            case originCountry = "origin_country"
        }
    }

    public var orderID: String
    /// Where the parcel ships from.
    public var fromCountry: String
    public var toCountry: String
    public var category: Category
    public var lines: [Line]
    public var totalValue: Money
    public var totalNetWeightGrams: Int

    /// True when a parcel between these countries needs a declaration.
    public static func isRequired(from origin: String, to destination: String) -> Bool {
        !CustomsTerritory.same(origin, destination)
    }

    /// The declaration of `order` shipped from `originCountry`, or nil when
    /// none is needed. `defaultItemWeightGrams` weighs lines that give no weight
    /// (the rate table's `default_item_weight_grams`).
    public static func make(for order: Order, from originCountry: String,
                            defaultItemWeightGrams: Int) throws(CustomsError) -> CustomsDeclaration? {
        let destination = order.shippingAddress.country
        guard isRequired(from: originCountry, to: destination) else { return nil }
        let missing = order.lines.enumerated().filter { $0.element.hsCode == nil }
            .map { CustomsError.LineReference(index: $0.offset, sku: $0.element.sku) }
        guard missing.isEmpty else { throw .missingHSCode(lines: missing, destination: destination) }

        var lines: [Line] = []
        var totalValue = Money.zero(order.currency)
        var totalWeight = 0
        do {
            for line in order.lines {
                let value = try Money(minorUnits: line.unitPrice, currency: order.currency)
                    .multiplied(by: line.quantity)
                let weight = line.shippingWeightGrams(defaultItemWeightGrams: defaultItemWeightGrams)
                lines.append(Line(description: line.name ?? line.sku, quantity: line.quantity, netWeightGrams: weight,
                                  value: value, hsCode: line.hsCode ?? "", originCountry: line.originCountry ?? originCountry))
                totalValue = try totalValue.adding(value)
                totalWeight += weight
            }
        } catch {
            throw .valueOverflow
        }
        return CustomsDeclaration(orderID: order.id, fromCountry: originCountry, toCountry: destination,
                                  category: .saleOfGoods, lines: lines, totalValue: totalValue,
                                  totalNetWeightGrams: totalWeight)
    }

    enum CodingKeys: String, CodingKey {
        case category, lines
        case orderID = "order_id"
        case fromCountry = "from_country"
        case toCountry = "to_country"
        case totalValue = "total_value"
        case totalNetWeightGrams = "total_net_weight_grams"
    }
}
