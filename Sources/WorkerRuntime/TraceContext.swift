import Synchronization

/// W3C trace context (`traceparent: 00-<trace id>-<span id>-<flags>`): one
/// order keeps its trace id through every hop; each hop is a new span.
public struct TraceContext: Sendable, Equatable {
    public var traceID: String
    public var spanID: String
    public var sampled: Bool

    /// Parses a `traceparent` header; nil when absent or malformed.
    public init?(traceparent: String?) {
        guard let traceparent else { return nil }
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts[1...3].allSatisfy({ $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() }),
              parts[1] != String(repeating: "0", count: 32), parts[2] != String(repeating: "0", count: 16)
        else { return nil }
        traceID = String(parts[1])
        spanID = String(parts[2])
        sampled = parts[3] == "01"
    }

    init(traceID: String, spanID: String, sampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
    }

    /// A new trace, for a message that arrived without one.
    public static func root() -> TraceContext {
        TraceContext(traceID: randomHex(bytes: 16), spanID: randomHex(bytes: 8), sampled: true)
    }

    /// The same trace, a new span: what this hop puts on what it publishes.
    public func child() -> TraceContext {
        TraceContext(traceID: traceID, spanID: Self.randomHex(bytes: 8), sampled: sampled)
    }

    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    /// Hex digits from `IDSource`: ids must be unique and unguessable enough
    /// for tracing, not secret, and the system generator costs a getrandom
    /// call per byte (24 per new trace, seen in the profile at a sales peak).
    private static func randomHex(bytes: Int) -> String {
        var hex = [UInt8]()
        hex.reserveCapacity(bytes * 2)
        let digits = Array("0123456789abcdef".utf8)
        while hex.count < bytes * 2 {
            var word = IDSource.next()
            for _ in 0..<min(16, bytes * 2 - hex.count) {
                hex.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// SplitMix64 over an atomic counter seeded once from the system's generator:
/// distinct 64-bit values from every thread without a lock or a system call.
enum IDSource {
    private static let state = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    static func next() -> UInt64 {
        var value = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
