import Foundation
import OMSDomain

/// One entry of an order's history, stored as JSON:
///
/// ```json
/// {"from": "received", "to": "confirmed", "version": 2,
///  "time": "2026-11-22T10:00:00.123Z", "stage": "capture", "note": "every line reserved"}
/// ```
///
/// `from` is `""` in the first entry, the order's creation. An entry that
/// records something without changing the order (a refused cancel, say) has
/// `from` and `to` both the current status, the current version, and
/// `"transition": false`; transitions leave that field out.
public struct HistoryEntry: Sendable, Hashable, Codable {
    /// Nil for the first entry.
    public var from: OrderStatus?
    public var to: OrderStatus
    public var version: Int
    public var time: Date
    /// The stage that wrote it: "capture", "payment"…
    public var stage: String
    public var note: String
    /// False for an entry that changed neither status nor version.
    public var isTransition: Bool

    public init(from: OrderStatus?, to: OrderStatus, version: Int, time: Date, stage: String, note: String,
                isTransition: Bool = true) {
        self.from = from
        self.to = to
        self.version = version
        self.time = time
        self.stage = stage
        self.note = note
        self.isTransition = isTransition
    }

    enum CodingKeys: String, CodingKey {
        case from, to, version, time, stage, note
        case isTransition = "transition"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let from = try container.decode(String.self, forKey: .from)
        if from.isEmpty {
            self.from = nil
        } else if let status = OrderStatus(rawValue: from) {
            self.from = status
        } else {
            throw DecodingError.dataCorruptedError(forKey: .from, in: container,
                                                   debugDescription: "unknown status '\(from)'")
        }
        to = try container.decode(OrderStatus.self, forKey: .to)
        version = try container.decode(Int.self, forKey: .version)
        let time = try container.decode(String.self, forKey: .time)
        guard let date = RFC3339.parse(time) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container,
                                                   debugDescription: "'\(time)' is not an RFC 3339 date-time")
        }
        self.time = date
        stage = try container.decode(String.self, forKey: .stage)
        note = try container.decode(String.self, forKey: .note)
        isTransition = try container.decodeIfPresent(Bool.self, forKey: .isTransition) ?? true
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from?.rawValue ?? "", forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(version, forKey: .version)
        try container.encode(RFC3339.format(time), forKey: .time)
        try container.encode(stage, forKey: .stage)
        try container.encode(note, forKey: .note)
        if !isTransition { try container.encode(false, forKey: .isTransition) }
    }
}
