import Logging

/// A Redis Cluster over hiredis, which has no cluster support: this routes
/// each command to the master of its keys' slot, one `RedisConnection` per
/// node.
///
/// The slot map comes from `CLUSTER SLOTS`. A pipeline is split by node
/// (a `MULTI … EXEC` block stays whole), the pieces go out at once, and the
/// replies are put back in the caller's order. Scripts run by SHA, loaded on
/// each node on first use or after NOSCRIPT, as on one server. Keys of one
/// command (or one transaction) in several slots are refused before
/// anything is sent (`.crossSlot`).
///
/// Redirects and failover: `MOVED` updates the map (and reads it again) and
/// sends the command to the new owner; `ASK` sends `ASKING` and the command
/// to the node named, once, leaving the map. `TRYAGAIN` and `CLUSTERDOWN`,
/// and a master that refuses connections (killed, its replica not promoted
/// yet), are retried with backoff (50 ms doubling to 1 s) for up to
/// `retryTimeout`, the map read again before each try; then the last error
/// reply is returned in place, or `.unreachable` thrown. A connection lost
/// while commands were out throws `.connectionLost`, as on one server: they
/// may have run, so they are not sent again.
///
/// A master killed and started again believes it still serves its slots
/// until the cluster tells it otherwise, and what it takes meanwhile is
/// thrown away when it rejoins as a replica of the master promoted in its
/// place. So a node whose connection failed is a suspect: its own
/// `CLUSTER SLOTS` is believed only when no other node answers, and the map
/// is read again from the others before anything is sent to it, until a
/// call to it succeeds.
public actor RedisCluster: Redis {
    public nonisolated let seeds: [RedisURL]
    private let connectTimeout: Duration
    private let commandTimeout: Duration
    private let retryTimeout: Duration
    public nonisolated let durability: RedisDurability
    public private(set) var unreplicatedWrites = 0
    private let logger: Logger
    private var map = ClusterSlotMap()
    private var connections: [ClusterNode: RedisConnection] = [:]
    private var isClosed = false
    /// A node's connection broke: read the map again before the next call.
    private var mapIsStale = false
    /// Nodes whose connection failed, and no call to them has succeeded since.
    private var suspects: Set<ClusterNode> = []

    /// A MOVED chain longer than this is a cluster in turmoil, not a migration.
    static let mostRedirects = 16

    /// Reads the slot map from the first seed that answers. Every seed must
    /// use database 0, the only one a cluster has.
    public static func connect(seeds: [RedisURL], connectTimeout: Duration = .seconds(2),
                               commandTimeout: Duration = .seconds(5), retryTimeout: Duration = .seconds(15),
                               durability: RedisDurability = .clusterDefault,
                               logger: Logger = Logger(label: "oms.redis")) async throws(RedisError) -> RedisCluster {
        guard !seeds.isEmpty else { throw RedisError(.invalidURL, "no cluster node given", command: "parse URL") }
        if let seed = seeds.first(where: { $0.database != 0 }) {
            throw RedisError(.invalidURL, "a Redis Cluster has database 0 only, not \(seed.database)",
                             command: "parse URL")
        }
        let cluster = RedisCluster(seeds: seeds, connectTimeout: connectTimeout, commandTimeout: commandTimeout,
                                   retryTimeout: retryTimeout, durability: durability, logger: logger)
        try await cluster.refreshMap()
        return cluster
    }

    private init(seeds: [RedisURL], connectTimeout: Duration, commandTimeout: Duration, retryTimeout: Duration,
                 durability: RedisDurability, logger: Logger) {
        self.seeds = seeds
        self.durability = durability
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.retryTimeout = retryTimeout
        self.logger = logger
    }

    /// The masters of the current slot map.
    public var masters: [ClusterNode] { map.masters }

    /// The master serving `key` in the current slot map.
    public func master(of key: String) -> ClusterNode? {
        map.owner(of: HashSlot.of(key))
    }

    @discardableResult
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisReply {
        let reply = try await pipeline([command])[0]
        if let message = reply.errorMessage {
            throw RedisError(serverReply: message, command: command.label, endpoint: master(ofCommand: command))
        }
        return reply
    }

    /// Sends one command to one node, whatever its keys (`WAIT`, `INFO`, `SCAN`
    /// of that node).
    @discardableResult
    public func send(_ command: RedisCommand, to node: ClusterNode) async throws(RedisError) -> RedisReply {
        try await connection(to: node).send(command)
    }

    public func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        try await run(commands).replies
    }

    /// `pipeline`'s replies, and the nodes that answered its keyed commands:
    /// where their writes are, whatever the map says by the time it returns.
    private func run(_ commands: [RedisCommand]) async throws(RedisError)
        -> (replies: [RedisReply], nodes: Set<ClusterNode>) {
        guard !commands.isEmpty else { return ([], []) }
        let batch = try ClusterBatch(commands)
        if mapIsStale { try? await refreshMap() }
        var replies = [RedisReply](repeating: .null, count: commands.count)
        var nodes: Set<ClusterNode> = []
        var pending = batch.units.indices.map { Pending(unit: $0) }
        var backoff = ReconnectBackoff(timeout: retryTimeout)
        let start = ContinuousClock.now
        var redirects = 0
        while !pending.isEmpty {
            if targetsSuspect(pending, of: batch) { try? await refreshMap() }
            let round = await send(pending, of: batch, commands: commands)
            if let lost = round.lost {
                mapIsStale = true
                throw lost
            }
            for (unit, unitReplies, node) in round.done {
                replies.replaceSubrange(batch.units[unit].range, with: unitReplies)
                if batch.units[unit].slot != nil { nodes.insert(node) }
            }
            pending = round.again
            if pending.isEmpty { break }
            redirects += round.redirected ? 1 : 0
            let delay = round.mustWait ? backoff.delay(elapsed: .now - start) : .zero
            guard let delay, redirects <= Self.mostRedirects else {
                return (try giveUp(pending, of: batch, replies: replies, lastFailure: round.failure), nodes)
            }
            try checkOpen("cluster retry")
            if delay > .zero { try? await Task.sleep(for: delay) }
            if round.mapIsStale { try? await refreshMap() }
        }
        return (replies, nodes)
    }

    /// After the pipeline, WAIT on the connection to each master that ran
    /// a keyed command, all at once: it covers what that connection wrote.
    public func replicatedPipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        let (replies, masters) = try await run(commands)
        guard durability.replicas > 0 else { return replies }
        var waits: [RedisConnection] = []
        for master in masters { waits.append(try await connection(to: master)) }
        let durability = durability
        let results = await withTaskGroup(of: Result<Bool, RedisError>.self) { tasks in
            for connection in waits {
                tasks.addTask {
                    do throws(RedisError) {
                        return .success(try await connection.waitForReplicas(durability))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await tasks.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            guard try result.get() else {
                unreplicatedWrites += 1
                durability.warnUnreplicated(logger)
                break
            }
        }
        return replies
    }

    public func servers() async throws(RedisError) -> [any Redis] {
        var servers: [any Redis] = []
        for master in map.masters { servers.append(try await connection(to: master)) }
        return servers
    }

    public func close() async {
        isClosed = true
        for connection in connections.values { await connection.close() }
        connections = [:]
    }

    // MARK: - Rounds

    /// A unit still to run, with what its last try said.
    private struct Pending {
        let unit: Int
        var askNode: ClusterNode?
        var lastReplies: [RedisReply]?
    }

    private struct Round {
        var done: [(unit: Int, replies: [RedisReply], node: ClusterNode)] = []
        var again: [Pending] = []
        var mapIsStale = false
        var mustWait = false
        var redirected = false
        var failure: RedisError?
        /// A connection broke with commands out: thrown to the caller.
        var lost: RedisError?
    }

    /// Sends the units, grouped by node, all groups at once.
    private func send(_ pending: [Pending], of batch: ClusterBatch, commands: [RedisCommand]) async -> Round {
        let groups = ClusterBatch.split(Array(pending.indices)) { index in
            pending[index].askNode ?? target(of: batch.units[pending[index].unit])
        }
        var round = Round()
        var calls: [(node: ClusterNode, members: [Int], commands: [RedisCommand], connection: RedisConnection)] = []
        for group in groups {
            do throws(RedisError) {
                guard let node = group.node else {
                    throw RedisError(.unreachable, "no master serves the slot", command: "cluster route")
                }
                var sent: [RedisCommand] = []
                for index in group.units {
                    if pending[index].askNode != nil { sent.append(RedisCommand("ASKING")) }
                    sent += commands[batch.units[pending[index].unit].range]
                }
                calls.append((node, group.units, sent, try await connection(to: node)))
            } catch {
                if let node = group.node { suspects.insert(node) }
                retryUnsent(group.units, of: pending, after: error, into: &round)
            }
        }
        let results = await withTaskGroup(of: (Int, Result<[RedisReply], RedisError>).self) { tasks in
            for (position, call) in calls.enumerated() {
                tasks.addTask { (position, await Self.outcome(of: call.commands, on: call.connection)) }
            }
            var results = [Result<[RedisReply], RedisError>](
                repeating: .failure(RedisError(.unreachable, "no reply", command: "cluster pipeline")), count: calls.count)
            for await (position, result) in tasks { results[position] = result }
            return results
        }
        for (position, call) in calls.enumerated() {
            switch results[position] {
            case .success(let nodeReplies):
                suspects.remove(call.node)
                sort(nodeReplies, from: call.node, of: call.members, pending: pending, batch: batch, into: &round)
            case .failure(let error) where error.kind == .unreachable:
                suspects.insert(call.node)
                retryUnsent(call.members, of: pending, after: error, into: &round)
            case .failure(let error):
                suspects.insert(call.node)
                // Sent, maybe run: the caller decides, as on one server.
                return Round(lost: error)
            }
        }
        return round
    }

    /// A node's pipeline as a value. Caught here rather than in a typed
    /// `do throws(RedisError)` inside the task group's closure: Swift 6.3's
    /// optimiser lost that closure's results (a release build trapped on a
    /// missing one; the debug build did not).
    private static func outcome(of commands: [RedisCommand], on connection: RedisConnection) async
        -> Result<[RedisReply], RedisError> {
        do {
            return .success(try await connection.pipeline(commands))
        } catch {
            return .failure(error)
        }
    }

    /// Takes each unit's replies (past its ASKING's) and decides: done, or again.
    private func sort(_ nodeReplies: [RedisReply], from node: ClusterNode, of members: [Int], pending: [Pending],
                      batch: ClusterBatch, into round: inout Round) {
        var offset = 0
        for index in members {
            var entry = pending[index]
            if entry.askNode != nil { offset += 1 }
            let range = batch.units[entry.unit].range
            let unitReplies = Array(nodeReplies[offset..<(offset + range.count)])
            offset += range.count
            let redirect = unitReplies.lazy.map(ClusterReply.init).first { $0 != .final } ?? .final
            entry.askNode = nil
            entry.lastReplies = unitReplies
            switch redirect {
            case .final:
                round.done.append((entry.unit, unitReplies, node))
                continue
            case .moved(let slot, let node):
                map.assign(slot...slot, to: node)
                round.mapIsStale = true
                round.redirected = true
            case .ask(_, let node):
                entry.askNode = node
                round.redirected = true
            case .retryLater:
                round.mustWait = true
                round.mapIsStale = true
            }
            round.again.append(entry)
        }
    }

    /// Units that never left: a node refused the connection (down, or being
    /// failed over). Wait, read the map again, try again.
    private func retryUnsent(_ members: [Int], of pending: [Pending], after error: RedisError,
                             into round: inout Round) {
        round.again += members.map { pending[$0] }
        round.mustWait = true
        round.mapIsStale = true
        round.failure = error
    }

    /// Out of time or redirects: units that got an error reply return it in
    /// place; if any never got a reply, the last failure is thrown.
    private func giveUp(_ pending: [Pending], of batch: ClusterBatch, replies: [RedisReply],
                        lastFailure: RedisError?) throws(RedisError) -> [RedisReply] {
        var replies = replies
        for entry in pending {
            guard let last = entry.lastReplies else {
                throw lastFailure ?? RedisError(.unreachable, "no node answered", command: "cluster route")
            }
            replies.replaceSubrange(batch.units[entry.unit].range, with: last)
        }
        return replies
    }

    // MARK: - Nodes and the map

    private func targetsSuspect(_ pending: [Pending], of batch: ClusterBatch) -> Bool {
        !suspects.isEmpty && pending.contains { entry in
            target(of: batch.units[entry.unit]).map(suspects.contains) ?? false
        }
    }

    private func target(of unit: ClusterBatch.Unit) -> ClusterNode? {
        guard let slot = unit.slot else { return map.masters.first }
        return map.owner(of: slot)
    }

    private func master(ofCommand command: RedisCommand) -> String {
        let slot = (try? CommandSlot.slot(of: command)) ?? nil
        return (slot.flatMap(map.owner) ?? map.masters.first)?.description ?? "?"
    }

    private func connection(to node: ClusterNode) async throws(RedisError) -> RedisConnection {
        try checkOpen("connect")
        if let connection = connections[node] { return connection }
        // A short reconnect wait, so that a dead node is soon left to the
        // map's next reading rather than waited for.
        let connection = try await RedisConnection.connect(url: node.url(from: seeds[0]),
                                                           connectTimeout: connectTimeout,
                                                           commandTimeout: commandTimeout,
                                                           reconnectTimeout: .milliseconds(200), logger: logger)
        if let raced = connections[node] {
            await connection.close()
            return raced
        }
        connections[node] = connection
        return connection
    }

    /// Reads `CLUSTER SLOTS` from the known masters, then the seeds, the
    /// suspects last, keeping the first map that covers every slot (else the
    /// first readable one).
    func refreshMap() async throws(RedisError) {
        var candidates = map.masters
        for seed in seeds where !candidates.contains(ClusterNode(host: seed.host, port: seed.port)) {
            candidates.append(ClusterNode(host: seed.host, port: seed.port))
        }
        candidates = candidates.filter { !suspects.contains($0) } + candidates.filter(suspects.contains)
        var partial: ClusterSlotMap?
        var lastError: RedisError?
        for node in candidates {
            do throws(RedisError) {
                let reply = try await connection(to: node).send(RedisCommand("CLUSTER", "SLOTS"))
                let read = try ClusterSlotMap(slotsReply: reply, answeredBy: node)
                if read.coversEverySlot {
                    map = read
                    mapIsStale = false
                    return
                }
                partial = partial ?? read
            } catch {
                lastError = error
            }
        }
        if let partial {
            map = partial
            mapIsStale = false
            return
        }
        throw lastError ?? RedisError(.unreachable, "no cluster node answered", command: "CLUSTER SLOTS")
    }

    private func checkOpen(_ command: String) throws(RedisError) {
        guard !isClosed else { throw RedisError(.closed, "the cluster client was closed", command: command) }
    }
}
