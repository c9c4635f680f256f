import OMSDomain
import RedisClient

/// `transition.lua`'s reply: the outcome, and, when the order is now in the
/// status asked for (moved or already there), how it came into it, which the
/// report's tally needs.
struct TransitionReply: Sendable, Hashable {
    var outcome: Transition
    var entry: StatusEntry?

    init(reply: RedisReply, to status: OrderStatus) throws(StoreError) {
        let elements = try reply.elements("transition")
        switch elements.first?.string {
        case "applied":
            guard let (version, entry) = Self.arrival(elements, to: status), let from = entry.from else {
                throw reply.unexpected("transition")
            }
            outcome = .applied(from: from, version: version)
            self.entry = entry
        case "already":
            guard let (version, entry) = Self.arrival(elements, to: status) else {
                throw reply.unexpected("transition")
            }
            outcome = .already(version: version)
            self.entry = entry
        // A fourth element names the effect marker that forbade the move.
        case "refused" where elements.count == 3 || elements.count == 4:
            guard let state = OrderStore.statusAndVersion(elements[1], elements[2]) else {
                throw reply.unexpected("transition")
            }
            outcome = .refused(current: state.status, version: state.version)
        case "missing" where elements.count == 1:
            outcome = .missing
        default:
            throw reply.unexpected("transition")
        }
    }

    /// From `{verdict, from, version, channel, created_at, entered_at}`: `from`
    /// is a status, or "" when the history does not say; the times are RFC 3339 or "".
    private static func arrival(_ elements: [RedisReply], to status: OrderStatus)
        -> (version: Int, entry: StatusEntry)? {
        let texts = elements.map(\.string)
        guard elements.count == 6, let version = elements[2].int, let from = texts[1], let channel = texts[3],
              let createdAt = texts[4], let enteredAt = texts[5],
              from.isEmpty || OrderStatus(rawValue: from) != nil else { return nil }
        return (version, StatusEntry(status: status, from: OrderStatus(rawValue: from), channel: channel,
                                     createdAt: RFC3339.parse(createdAt), enteredAt: RFC3339.parse(enteredAt)))
    }
}
