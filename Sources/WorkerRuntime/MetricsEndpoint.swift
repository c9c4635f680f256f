import Foundation
import Prometheus
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Serves the Prometheus text format at `GET /metrics` on its own thread:
/// enough HTTP for a scraper, with no web framework to build. Requests are
/// answered one at a time; each carries a fresh snapshot of the registry.
final class MetricsEndpoint: Service {
    let port: Int
    private let registry: PrometheusCollectorRegistry
    private let socket: Int32

    /// Binds now, so a busy port is reported at start-up.
    init(registry: PrometheusCollectorRegistry, host: String, port: Int) throws {
        self.registry = registry
        self.port = port
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound, listen(socket, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw MetricsEndpointError(description: "cannot serve metrics on \(host):\(port): \(reason)")
        }
    }

    /// Answers on its own thread until graceful shutdown, then closes the
    /// socket, which ends the thread's `accept`.
    func run() async throws {
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(socket, nil, nil)
                guard client >= 0 else {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                answer(client)
                close(client)
            }
        }
        try? await gracefulShutdown()
        Glibc.shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func answer(_ client: Int32) {
        var request = [UInt8](repeating: 0, count: 4096)
        let count = read(client, &request, request.count)
        let line = count > 0 ? String(decoding: request[..<count], as: UTF8.self) : ""
        let body: [UInt8]
        let status: String
        if line.hasPrefix("GET /metrics ") || line.hasPrefix("GET /metrics?") {
            status = "200 OK"
            body = registry.emitToBuffer()
        } else {
            status = "404 Not Found"
            body = Array("only GET /metrics is served here\n".utf8)
        }
        let head = "HTTP/1.1 \(status)\r\nContent-Type: text/plain; version=0.0.4\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + body
        _ = response.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }
}

struct MetricsEndpointError: Error, CustomStringConvertible {
    var description: String
}
