import Foundation
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// A raw SMTP conversation on loopback, a line at a time, each read bounded
/// by a receive timeout.
final class SMTPLineSession {
    private let fd: Int32
    private let receiveTimeout: Int
    private var pending: [UInt8] = []

    init(port: Int, receiveTimeoutSeconds: Int = 10) throws {
        guard let fd = LocalPorts.connected(port: port) else {
            throw ChildProcessFailed(command: ["connect", "127.0.0.1:\(port)"], status: errno, output: "refused")
        }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
        receiveTimeout = receiveTimeoutSeconds
    }

    deinit { close(fd) }

    func send(_ line: String) throws {
        let bytes = Array((line + "\r\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw ChildProcessFailed(command: ["send", line], status: errno, output: "write failed")
        }
    }

    /// One reply, its continuation lines (`250-…`) included.
    func reply() throws -> String {
        var lines: [String] = []
        while true {
            let line = try readLine()
            lines.append(line)
            if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
                return lines.joined(separator: "\n")
            }
        }
    }

    private func readLine() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeSubrange(...end)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else {
                throw ChildProcessFailed(command: ["read reply"], status: errno,
                                         output: "connection closed or no reply in \(receiveTimeout) s after \(pending.count) bytes")
            }
            pending += buffer[..<count]
        }
    }
}
