/// What an error reply tells a cluster client to do instead of returning it.
enum ClusterReply: Equatable {
    /// `MOVED <slot> <host:port>`: the slot lives elsewhere now; refresh the map.
    case moved(slot: Int, to: ClusterNode)
    /// `ASK <slot> <host:port>`: the slot is migrating; ask that node once,
    /// after `ASKING`, without changing the map.
    case ask(slot: Int, to: ClusterNode)
    /// `TRYAGAIN` (keys of a multi-key command split by a migration) or
    /// `CLUSTERDOWN` (a master lost, its replica not promoted yet): wait and retry.
    case retryLater
    /// A reply to hand to the caller.
    case final

    init(_ reply: RedisReply) {
        guard let message = reply.errorMessage else {
            self = .final
            return
        }
        let words = message.split(separator: " ", maxSplits: 3)
        switch words.first {
        case "MOVED", "ASK":
            guard words.count >= 3, let slot = Int(words[1]), (0..<HashSlot.count).contains(slot),
                  let node = ClusterNode(words[2]) else {
                self = .final
                return
            }
            self = words[0] == "MOVED" ? .moved(slot: slot, to: node) : .ask(slot: slot, to: node)
        case "TRYAGAIN", "CLUSTERDOWN":
            self = .retryLater
        default:
            self = .final
        }
    }
}
