/// Which master serves each of the 16,384 slots, from `CLUSTER SLOTS`.
public struct ClusterSlotMap: Sendable, Hashable {
    /// Index into `masters` per slot; nil for a slot no master serves.
    private var owners: [Int?]
    public private(set) var masters: [ClusterNode]

    public init() {
        owners = Array(repeating: nil, count: HashSlot.count)
        masters = []
    }

    /// Reads a `CLUSTER SLOTS` reply: one entry per range, `[start, end,
    /// [host, port, id…], replica…]`, the master first. An empty host means
    /// the node that answered (`answeredBy`).
    public init(slotsReply reply: RedisReply, answeredBy: ClusterNode) throws(RedisError) {
        self.init()
        guard let ranges = reply.array else { throw Self.unreadable(reply) }
        for range in ranges {
            guard let fields = range.array, fields.count >= 3, let start = fields[0].int, let end = fields[1].int,
                  0 <= start, start <= end, end < HashSlot.count,
                  let master = fields[2].array, master.count >= 2, let host = master[0].string,
                  let port = master[1].int else { throw Self.unreadable(reply) }
            assign(start...end, to: ClusterNode(host: host.isEmpty ? answeredBy.host : host, port: port))
        }
    }

    public func owner(of slot: Int) -> ClusterNode? {
        owners[slot].map { masters[$0] }
    }

    /// Whether every slot has a master.
    public var coversEverySlot: Bool {
        !owners.contains(nil)
    }

    /// What a MOVED says: `slot` now lives on `node`.
    public mutating func assign(_ slots: ClosedRange<Int>, to node: ClusterNode) {
        let index = masters.firstIndex(of: node) ?? {
            masters.append(node)
            return masters.count - 1
        }()
        for slot in slots { owners[slot] = index }
    }

    private static func unreadable(_ reply: RedisReply) -> RedisError {
        RedisError(.protocolError, "unreadable CLUSTER SLOTS reply", command: "CLUSTER SLOTS")
    }
}
