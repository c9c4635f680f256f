/// A pipeline cut into the pieces a cluster routes: a command, or a
/// `MULTI … EXEC` block kept whole (a transaction runs on one node), each
/// with the slot of its keys.
struct ClusterBatch {
    struct Unit: Equatable {
        /// The unit's commands, as positions in the pipeline.
        let range: Range<Int>
        /// Nil for keyless commands, which any master may run.
        let slot: Int?
    }

    let units: [Unit]

    /// Refuses a command, or a transaction, whose keys span several slots.
    init(_ commands: [RedisCommand]) throws(RedisError) {
        var units: [Unit] = []
        var index = 0
        while index < commands.count {
            let end = Self.end(ofUnitAt: index, in: commands)
            let keys = commands[index..<end].flatMap(CommandSlot.keys)
            units.append(Unit(range: index..<end,
                              slot: try CommandSlot.commonSlot(of: keys, command: commands[index].label)))
            index = end
        }
        self.units = units
    }

    /// Past the EXEC (or DISCARD) of a MULTI at `start`; past `start` otherwise.
    private static func end(ofUnitAt start: Int, in commands: [RedisCommand]) -> Int {
        guard commands[start].name.uppercased() == "MULTI" else { return start + 1 }
        let close = commands[(start + 1)...].firstIndex { ["EXEC", "DISCARD"].contains($0.name.uppercased()) }
        return (close ?? commands.count - 1) + 1
    }

    /// Unit positions grouped by the node that runs them, each group in
    /// pipeline order; `target` names the node of a unit (nil: no node known).
    static func split(_ units: [Int], target: (Int) -> ClusterNode?) -> [(node: ClusterNode?, units: [Int])] {
        var groups: [(node: ClusterNode?, units: [Int])] = []
        for unit in units {
            let node = target(unit)
            if let index = groups.firstIndex(where: { $0.node == node }) {
                groups[index].units.append(unit)
            } else {
                groups.append((node, [unit]))
            }
        }
        return groups
    }
}
