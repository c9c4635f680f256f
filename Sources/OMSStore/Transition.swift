import OMSDomain
import RedisClient

/// The outcome of moving an order to a status.
public enum Transition: Sendable, Hashable {
    /// Moved from `from`; `version` is the order's new version.
    case applied(from: OrderStatus, version: Int)
    /// The order is in that status already (a redelivery): nothing changed.
    case already(version: Int)
    /// The state machine allows no move from `current` to that status: nothing changed.
    case refused(current: OrderStatus, version: Int)
    /// No such order.
    case missing

    /// The order's version when it is now in the status asked for (moved or
    /// already there); nil when refused or missing.
    public var version: Int? {
        switch self {
        case .applied(_, let version), .already(let version): version
        case .refused, .missing: nil
        }
    }

    /// Reads `transition.lua`'s reply.
    init(reply: RedisReply) throws(StoreError) {
        let elements = try reply.elements("transition")
        switch elements.first?.string {
        case "applied" where elements.count == 3:
            guard let state = OrderStore.statusAndVersion(elements[1], elements[2]) else {
                throw reply.unexpected("transition")
            }
            self = .applied(from: state.status, version: state.version)
        case "already" where elements.count == 2:
            guard let version = elements[1].int else { throw reply.unexpected("transition") }
            self = .already(version: version)
        case "refused" where elements.count == 3:
            guard let state = OrderStore.statusAndVersion(elements[1], elements[2]) else {
                throw reply.unexpected("transition")
            }
            self = .refused(current: state.status, version: state.version)
        case "missing" where elements.count == 1:
            self = .missing
        default:
            throw reply.unexpected("transition")
        }
    }
}
