/// The pieces of a server URL that every client layer parses the same way.
public enum URLText {
    /// `%2F` → `/`; nil on a broken escape or bytes that are not UTF-8.
    public static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var remaining = text.utf8[...]
        while let byte = remaining.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let pair = String(decoding: remaining.prefix(2), as: UTF8.self)
            guard pair.count == 2, pair.allSatisfy(\.isHexDigit), let value = UInt8(pair, radix: 16) else {
                return nil
            }
            bytes.append(value)
            remaining = remaining.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Digits only, at most `maxDigits` (`Int("+5")` would accept a sign).
    public static func decimal(_ text: Substring, maxDigits: Int) -> Int? {
        guard (1...maxDigits).contains(text.utf8.count),
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }
}

extension URLText {
    /// Why a URL's text is refused, said for people.
    public struct Invalid: Error, Sendable, Equatable {
        public var reason: String

        public init(reason: String) {
            self.reason = reason
        }
    }

    /// `host:port`, the host bracketed when it is an IPv6 address.
    public static func endpoint(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `[credentials@]host[:port]`, split and checked.
    public struct Authority: Sendable, Equatable {
        /// What stands before the last '@', still percent-encoded; nil without one.
        public var credentials: Substring?
        public var host: String
        public var port: Int?
    }

    /// Splits an authority at its last '@' and checks host and port: an IPv6
    /// host in brackets (`ipv6Example` shows how), any other host letters,
    /// digits, '.', '_' and '-' only (nothing a client library could read as
    /// another part of the URL), a port of digits only, 1-65535.
    public static func authority(_ text: Substring, ipv6Example: String) throws(Invalid) -> Authority {
        var hostAndPort = text
        var credentials: Substring?
        if let at = text.lastIndex(of: "@") {
            credentials = text[..<at]
            hostAndPort = text[text.index(after: at)...]
        }
        let (host, portText) = try hostAndPortText(hostAndPort, ipv6Example: ipv6Example)
        guard !host.isEmpty else { throw Invalid(reason: "missing host") }
        var port: Int?
        if let portText {
            guard let number = decimal(portText, maxDigits: 5), (1...65535).contains(number) else {
                throw Invalid(reason: "bad port '\(portText)' (1-65535)")
            }
            port = number
        }
        return Authority(credentials: credentials, host: host, port: port)
    }

    /// `user:password`, each percent-decoded; `noColon` is the reason given
    /// when there is no ':'.
    public static func userAndPassword(_ credentials: Substring,
                                       noColon: String) throws(Invalid) -> (user: String, password: String) {
        guard let colon = credentials.firstIndex(of: ":") else { throw Invalid(reason: noColon) }
        guard let user = percentDecoded(credentials[..<colon]) else {
            throw Invalid(reason: "bad percent-encoding in the user")
        }
        guard let password = percentDecoded(credentials[credentials.index(after: colon)...]) else {
            throw Invalid(reason: "bad percent-encoding in the password")
        }
        return (user, password)
    }

    private static func hostAndPortText(_ text: Substring,
                                        ipv6Example: String) throws(Invalid) -> (String, Substring?) {
        guard text.hasPrefix("[") else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw Invalid(reason: "IPv6 hosts go in brackets: \(ipv6Example)") }
            let host = String(parts[0])
            let allowed = host.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
            }
            guard allowed else { throw Invalid(reason: "bad character in the host '\(host)'") }
            return (host, parts.count == 2 ? parts[1] : nil)
        }
        guard let close = text.firstIndex(of: "]") else { throw Invalid(reason: "unclosed '[' in the host") }
        let host = String(text[text.index(after: text.startIndex)..<close])
        guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
            throw Invalid(reason: "'\(host)' in brackets is not an IPv6 address")
        }
        let afterHost = text[text.index(after: close)...]
        guard !afterHost.isEmpty else { return (host, nil) }
        guard afterHost.hasPrefix(":") else { throw Invalid(reason: "unexpected '\(afterHost)' after the host") }
        return (host, afterHost.dropFirst())
    }
}
