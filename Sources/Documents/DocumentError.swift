/// Why a document could not be made. Both are bad input: retrying will not help.
public enum DocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tracking number cannot be printed as a Code 128 set B barcode.
    case trackingNumber(Code128.EncodingError)
    /// A line's value (unit price times quantity), or the total, overflows.
    case valueOverflow(sku: String)

    public var description: String {
        switch self {
        case .trackingNumber(let error): "tracking number: \(error)"
        case .valueOverflow(let sku): "customs value of \(sku) overflows: check unit price and quantity"
        }
    }
}
