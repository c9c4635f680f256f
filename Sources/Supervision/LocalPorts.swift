import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for private servers.
public enum LocalPorts {
    /// Ports nothing is bound to now, all distinct (held together while
    /// chosen), from 10000–19999: below the kernel's ephemeral range (a port
    /// from there, once let go, can become the local port of any outgoing
    /// connection before the server binds it), and below 20000 because a
    /// private RabbitMQ's command-line tools listen on its distribution port
    /// + 10000, which must not be a port another private server was given.
    public static func free(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count, attempts < 400 {
            attempts += 1
            let port = Int.random(in: 10_000..<20_000)
            if let fd = bound(port) {
                sockets.append(fd)
                ports.append(port)
            }
        }
        guard ports.count == count else {
            throw NoFreePorts(wanted: "\(count) free ports")
        }
        return ports
    }

    /// The first of `count` ports in a row, from 10000–19999, free now with
    /// each one's `twinOffset` port too (a Redis Cluster node's bus port is
    /// its port + 10000).
    public static func freeRun(_ count: Int, twinOffset: Int? = nil) throws -> Int {
        for _ in 0..<200 {
            let first = Int.random(in: 10_000..<(20_000 - count))
            let ports = (first..<(first + count)).flatMap { port in [port] + (twinOffset.map { [port + $0] } ?? []) }
            let sockets = ports.compactMap(bound)
            sockets.forEach { close($0) }
            if sockets.count == ports.count { return first }
        }
        throw NoFreePorts(wanted: "\(count) free ports in a row")
    }

    /// Runs a start on free ports once more when it fails: a port taken by
    /// another process between being chosen and being bound fails the start,
    /// and other ports cure that, while a server that cannot start fails both.
    public static func twice<T>(_ start: () async throws -> T) async throws -> T {
        do {
            return try await start()
        } catch {
            return try await start()
        }
    }

    /// A socket bound to the port on loopback, or nil when the port is taken.
    private static func bound(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: port)
        let isBound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        if isBound { return fd }
        close(fd)
        return nil
    }

    public static func acceptsConnections(port: Int, host: String = "127.0.0.1") -> Bool {
        guard let fd = connected(port: port, host: host) else { return false }
        close(fd)
        return true
    }

    /// A TCP connection to `host`:`port`, its descriptor for the caller to
    /// close; nil when nothing accepts it.
    public static func connected(port: Int, host: String = "127.0.0.1") -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: port)
        address.sin_addr.s_addr = inet_addr(host)
        let accepted = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        if accepted { return fd }
        close(fd)
        return nil
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

public struct NoFreePorts: Error, CustomStringConvertible {
    public var wanted: String

    public var description: String { "cannot find \(wanted) between 10000 and 19999 on 127.0.0.1" }
}
