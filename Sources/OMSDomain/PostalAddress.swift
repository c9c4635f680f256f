/// A name and address as printed on a document: a warehouse, or an order's
/// customer at its shipping address.
public struct PostalAddress: Sendable, Hashable {
    public var name: String
    /// Street lines, in order.
    public var lines: [String]
    public var city: String
    public var region: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2.
    public var country: String

    public init(name: String, lines: [String], city: String, region: String? = nil, postalCode: String? = nil,
                country: String) {
        self.name = name
        self.lines = lines
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }

    /// The order's customer at its shipping address.
    public init(customer: Order.Customer, address: Order.Address) {
        self.init(name: customer.name, lines: [address.line1] + [address.line2].compactMap { $0 },
                  city: address.city, region: address.region, postalCode: address.postalCode,
                  country: address.country)
    }
}
