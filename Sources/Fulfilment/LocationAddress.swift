/// A warehouse location's address, printed as the sender on its labels.
public struct LocationAddress: Sendable, Hashable {
    public var name: String
    /// Street lines, in order.
    public var lines: [String]
    public var city: String
    public var region: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2: the origin of the location's shipments.
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
}
