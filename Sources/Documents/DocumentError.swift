/// Why a document could not be made. Bad input: retrying will not help.
public enum DocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tracking number cannot be printed as a Code 128 set B barcode.
    case trackingNumber(Code128.EncodingError)

    public var description: String {
        switch self {
        case .trackingNumber(let error): "tracking number: \(error)"
        }
    }
}
