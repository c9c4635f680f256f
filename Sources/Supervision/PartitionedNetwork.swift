import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A network namespace for workers, joined to the host by one veth pair per
/// server; on the host side of each pair, `scripts/tcp-relay` forwards to
/// the server on loopback. Taking a pair's link down partitions the workers
/// from that server alone, in both directions, while both keep running.
/// Needs root (or sudo without a password) and iproute2.
public final class PartitionedNetwork: Sendable {
    public struct Route: Sendable {
        public let hostInterface: String
        public let address: String
        public let port: Int
        let relayPID: pid_t
    }

    public let namespace: String
    public let routes: [String: Route]

    /// What a program is started under to live in the namespace.
    public var commandPrefix: [String] { Self.root + ["ip", "netns", "exec", namespace] }

    /// A route per named server port (`["amqp": 5672, "redis": 6379]`);
    /// `relay` is the checkout's `scripts/tcp-relay`.
    public static func start(_ servers: [String: Int], relay: String) async throws -> PartitionedNetwork {
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let subnet = Int.random(in: 100...250)
        let namespace = "oms-\(tag)"
        try await ip(["netns", "add", namespace])
        var routes: [String: Route] = [:]
        do {
            try await ip(["netns", "exec", namespace, "ip", "link", "set", "lo", "up"])
            for (index, (name, port)) in servers.sorted(by: { $0.key < $1.key }).enumerated() {
                routes[name] = try await route(index, namespace: namespace, tag: tag, subnet: subnet, to: port,
                                               relay: relay)
            }
        } catch {
            await remove(namespace: namespace, routes: Array(routes.values))
            throw error
        }
        return PartitionedNetwork(namespace: namespace, routes: routes)
    }

    private init(namespace: String, routes: [String: Route]) {
        self.namespace = namespace
        self.routes = routes
    }

    /// The host end of the pair for a server: its link, its address and
    /// the relay that listens there for the server on 127.0.0.1:`port`.
    private static func route(_ index: Int, namespace: String, tag: String, subnet: Int, to port: Int,
                              relay: String) async throws -> Route {
        let host = "omsh\(tag)\(index)", inside = "omsn\(tag)\(index)"
        let address = "10.\(subnet).\(index).1"
        try await ip(["link", "add", host, "type", "veth", "peer", "name", inside])
        try await ip(["link", "set", inside, "netns", namespace])
        try await ip(["addr", "add", "\(address)/30", "dev", host])
        try await ip(["link", "set", host, "up"])
        try await ip(["netns", "exec", namespace, "ip", "addr", "add", "10.\(subnet).\(index).2/30", "dev", inside])
        try await ip(["netns", "exec", namespace, "ip", "link", "set", inside, "up"])
        let relayPort = try LocalPorts.free(1)[0]
        let pid = try Spawn.process(relay, arguments: [address, "\(relayPort)", "127.0.0.1", "\(port)"])
        let deadline = ContinuousClock.now + .seconds(30)
        while !LocalPorts.acceptsConnections(port: relayPort, host: address) {
            guard Spawn.isAlive(pid), ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw PartitionError(command: relay, output: "the relay did not listen on \(address):\(relayPort)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Route(hostInterface: host, address: address, port: relayPort, relayPID: pid)
    }

    /// `url` (amqp://, redis://, smtp://) with its host and port replaced by
    /// the route's to `server`; user, password, path and query stay.
    public func url(_ url: String, through server: String) -> String {
        guard let route = routes[server], var parts = URLComponents(string: url) else { return url }
        parts.host = route.address
        parts.port = route.port
        return parts.string ?? url
    }

    /// Takes the link to `server` down (a partition) or up again.
    public func link(_ server: String, up: Bool) async throws {
        guard let route = routes[server] else { return }
        try await Self.ip(["link", "set", route.hostInterface, up ? "up" : "down"])
    }

    public func stop() async {
        await Self.remove(namespace: namespace, routes: Array(routes.values))
    }

    private static func remove(namespace: String, routes: [Route]) async {
        for route in routes {
            kill(route.relayPID, SIGTERM)
            _ = await Spawn.exitStatus(of: route.relayPID)
            _ = try? await ip(["link", "del", route.hostInterface])
        }
        _ = try? await ip(["netns", "del", namespace])
    }

    private static let root: [String] = getuid() == 0 ? [] : ["sudo", "-n"]

    private static func ip(_ arguments: [String]) async throws {
        let command = root + ["ip"] + arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("oms-ip-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let status = await Spawn.exitStatus(of: try Spawn.process(command[0], arguments: Array(command.dropFirst()),
                                                                  logPath: log))
        guard status == 0 else {
            throw PartitionError(command: command.joined(separator: " "),
                                 output: ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
                                    + "partitions need root, or sudo without a password, and iproute2 "
                                    + "(apt-get install iproute2)")
        }
    }
}

public struct PartitionError: Error, CustomStringConvertible {
    public var command: String
    public var output: String

    public var description: String { "\(command) failed: \(output)" }
}
