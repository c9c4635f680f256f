import OMSDomain
import RedisClient

/// The outcome of storing a new order.
public enum Creation: Sendable, Hashable {
    case created
    /// The id was stored before with the same content: nothing changed.
    case duplicate(status: OrderStatus, version: Int)
    /// The id was stored before with other content: nothing changed.
    case conflict(status: OrderStatus, version: Int)

    /// Reads `create.lua`'s reply.
    init(reply: RedisReply) throws(StoreError) {
        let elements = try reply.elements("create")
        switch elements.first?.string {
        case "created" where elements.count == 1:
            self = .created
        case "duplicate" where elements.count == 3:
            guard let state = OrderStore.statusAndVersion(elements[1], elements[2]) else {
                throw reply.unexpected("create")
            }
            self = .duplicate(status: state.status, version: state.version)
        case "conflict" where elements.count == 3:
            guard let state = OrderStore.statusAndVersion(elements[1], elements[2]) else {
                throw reply.unexpected("create")
            }
            self = .conflict(status: state.status, version: state.version)
        default:
            throw reply.unexpected("create")
        }
    }
}
