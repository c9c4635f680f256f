/// A catalog entry (`oms catalog import`, stored in `oms:product:{SKU}`):
/// what people see for a SKU and what customs and the carrier need. Capture
/// fills in an order's lines from it where the channel sent less, so packing
/// slips, picklists, labels, customs declarations and emails show titles and
/// weigh parcels. A SKU without an entry still works: its lines show the SKU.
public struct Product: Sendable, Hashable {
    public var sku: String
    public var title: String
    public var weightGrams: Int?
    public var hsCode: String?
    public var origin: String?
    public var imageURL: String?

    public init(sku: String, title: String, weightGrams: Int? = nil, hsCode: String? = nil, origin: String? = nil,
                imageURL: String? = nil) {
        self.sku = sku
        self.title = title
        self.weightGrams = weightGrams
        self.hsCode = hsCode
        self.origin = origin
        self.imageURL = imageURL
    }

    /// The CSV columns of `oms catalog import`; sku and title required.
    public static let columns = ["sku", "title", "weight_g", "hs_code", "origin", "image_url"]

    /// A product from one record's fields by column name, or every problem
    /// with its column ("weight_g must be a whole number of grams (0 to 1000000)").
    public static func parse(_ fields: [String: String]) -> Result<Product, ProductProblems> {
        var reader = FieldReader()
        func value(_ column: String) -> JSONValue? {
            guard let text = fields[column], !text.isEmpty else { return nil }
            return .string(text)
        }
        let sku = reader.string(value("sku"), at: "sku", rule: .sku)
        let title = reader.string(value("title"), at: "title", rule: .text(maxLength: 200))
        var weight: Int?
        if let text = fields["weight_g"], !text.isEmpty {
            weight = Int(text).flatMap { (0...1_000_000).contains($0) ? $0 : nil }
            if weight == nil { reader.report("weight_g", "must be a whole number of grams (0 to 1000000)") }
        }
        let hsCode = reader.string(value("hs_code"), at: "hs_code", rule: .hsCode, required: false)
        let origin = reader.string(value("origin"), at: "origin", rule: .country, required: false)
        let imageURL = reader.string(value("image_url"), at: "image_url", rule: .text(maxLength: 2000), required: false)
        guard reader.issues.isEmpty, let sku, let title else {
            return .failure(ProductProblems(issues: reader.issues.map(\.description)))
        }
        return .success(Product(sku: sku, title: title, weightGrams: weight, hsCode: hsCode, origin: origin,
                                imageURL: imageURL))
    }
}

public struct ProductProblems: Error, Hashable {
    public var issues: [String]
}

extension Order {
    /// The order with each line's missing name, weight, HS code and origin
    /// taken from the catalog; what the channel sent is kept.
    public func completed(from catalog: [String: Product]) -> Order {
        var order = self
        for index in order.lines.indices {
            guard let product = catalog[order.lines[index].sku] else { continue }
            order.lines[index].name = order.lines[index].name ?? product.title
            order.lines[index].weightGrams = order.lines[index].weightGrams ?? product.weightGrams
            order.lines[index].hsCode = order.lines[index].hsCode ?? product.hsCode
            order.lines[index].originCountry = order.lines[index].originCountry ?? product.origin
        }
        return order
    }
}
