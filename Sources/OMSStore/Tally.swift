import Foundation
import OMSDomain

/// One fact about one order (`status:shipped`, `email:order.shipped`) and the
/// report counters it adds. `OrderStore.tally` counts a fact once per order,
/// however often it is told: the order's marker hash remembers the facts
/// counted, so a redelivered message or a racing copy counts once. A status is
/// told after the move that made it true, and again whenever a move finds
/// itself done already, so a crash between the move and the tally is repaired
/// by the redelivery.
///
/// The state machine has no cycle, so an order enters each status at most
/// once and "status:<status>" names one event of its life. Each fact adds
/// counts of its own (entered the status, left the one before), never a
/// difference of two, so the totals are exact whatever order the facts of
/// different statuses are counted in.
public struct Tally: Sendable, Hashable {
    public var fact: String
    public var increments: [ReportCounter: Int]

    public init(fact: String, increments: [ReportCounter: Int]) {
        self.fact = fact
        self.increments = increments
    }

    /// An email for `eventType` was sent.
    public static func emailSent(eventType: String) -> Tally {
        Tally(fact: "email:\(eventType)", increments: [.emails(eventType: eventType): 1])
    }

    /// The order entered a status: entered (in all and in its channel), left
    /// the status it came from, and for `shipped` the time since it was
    /// received; `extra` adds what only the caller knows (a refund's amount).
    static func entering(_ entry: StatusEntry, extra: [ReportCounter: Int] = [:]) -> Tally {
        var increments = extra
        let channels: [String?] = entry.channel.isEmpty ? [nil] : [nil, entry.channel]
        for channel in channels {
            increments[.entered(entry.status, channel: channel), default: 0] += 1
            if let from = entry.from { increments[.left(from, channel: channel), default: 0] += 1 }
        }
        if entry.status == .shipped, let createdAt = entry.createdAt, let shippedAt = entry.enteredAt {
            let milliseconds = Int((shippedAt.timeIntervalSince(createdAt) * 1000).rounded())
            increments[.shipTime(bucket: DurationBuckets.bucket(milliseconds: milliseconds)), default: 0] += 1
        }
        return Tally(fact: "status:\(entry.status.rawValue)", increments: increments)
    }

    /// ARGV of `tally.lua`: fact, the marker's time to live, then counter,
    /// increment pairs sorted by counter.
    func arguments(markerTTL: Int) -> [String] {
        [fact, "\(markerTTL)"] + increments.map { ($0.key.field, $0.value) }.sorted { $0.0 < $1.0 }
            .flatMap { [$0.0, "\($0.1)"] }
    }
}
