/// Why an event sends no email. Not an error: the worker acknowledges the
/// event and counts it.
public enum NoEmailReason: Sendable, Hashable, CustomStringConvertible {
    /// `order.rejected`: the order was invalid; customers are not emailed about it.
    case rejectedOrder
    /// A lifecycle step customers are not told about (received, paid, picked, returned).
    case notForCustomers(String)
    /// A type this version does not know (not `order.<status>`, or a status it has not heard of).
    case unknownType(String)

    public var description: String {
        switch self {
        case .rejectedOrder: "no email for rejected orders"
        case .notForCustomers(let type): "no customer email for \(type)"
        case .unknownType(let type): "no email for events of unknown type '\(type.prefix(100))'"
        }
    }
}
