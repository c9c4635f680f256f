/// One reply from the server (RESP2), copied out of hiredis's memory.
public enum RedisReply: Sendable, Hashable {
    /// A bulk string: any bytes.
    case string([UInt8])
    /// A simple string such as `OK` or `PONG`.
    case status(String)
    case integer(Int64)
    case array([RedisReply])
    /// A nil bulk string or nil array: a missing key or field.
    case null
    /// An error reply, such as `WRONGTYPE Operation against a key holding the wrong kind of value`.
    case error(String)

    /// An integer reply, or a bulk string holding a decimal integer (what
    /// `HGET` returns for a counter).
    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .string(let bytes): Int(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// A bulk string as UTF-8 (nil when it is not valid UTF-8), or a status.
    public var string: String? {
        switch self {
        case .string(let bytes): String(validating: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// A bulk string's bytes.
    public var bytes: [UInt8]? {
        guard case .string(let bytes) = self else { return nil }
        return bytes
    }

    public var array: [RedisReply]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    public var isNull: Bool { self == .null }

    /// The text of an error reply.
    public var errorMessage: String? {
        guard case .error(let message) = self else { return nil }
        return message
    }

    /// The server does not know the SHA: its script cache was flushed or it restarted.
    var isNoScript: Bool {
        errorMessage?.hasPrefix("NOSCRIPT") == true
    }
}
