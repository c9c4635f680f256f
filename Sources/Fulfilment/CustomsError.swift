/// Why an order cannot be declared to customs. Permanent: the product data
/// must be fixed and the dead letter replayed.
public enum CustomsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Lines without an `hs_code` on an order that crosses a customs border.
    case missingHSCode(lines: [LineReference], destination: String)
    /// The declared value does not fit in 64-bit minor units.
    case valueOverflow

    /// An order line by its index (from 0, as in `lines[1]`) and SKU.
    public struct LineReference: Sendable, Hashable {
        public var index: Int
        public var sku: String

        public init(index: Int, sku: String) {
            self.index = index
            self.sku = sku
        }
    }

    public var description: String {
        switch self {
        case .missingHSCode(let lines, let destination):
            lines.map { "lines[\($0.index)] (\($0.sku)) needs an hs_code for customs to \(destination)" }
                .joined(separator: "; ")
        case .valueOverflow:
            "the declared value is too large to add up"
        }
    }
}
