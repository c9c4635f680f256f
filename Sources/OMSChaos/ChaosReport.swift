import Foundation

/// How one fault's phase went.
struct ChaosVerdict: Sendable {
    var fault: ChaosFault
    var orders: Int
    var events: Int
    var seconds: Double
    /// From the first publish until every order had settled.
    var settledSeconds: Double
    /// The poison storm's: as many good orders settled without poison, in seconds.
    var cleanSeconds: Double?
    var violations: [String]

    var ok: Bool { violations.isEmpty }

    var line: String {
        let head = "\(ok ? "ok  " : "FAIL") \(fault.rawValue): \(orders) orders settled, \(events) events checked "
            + "in \(Int(seconds.rounded())) s" + (cleanSeconds.map {
                " (orders settled in \(Int(settledSeconds.rounded())) s; as many without poison: \(Int($0.rounded())) s)"
            } ?? "")
        return ([head] + violations.prefix(10).map { "       \($0)" }
            + (violations.count > 10 ? ["       … and \(violations.count - 10) more"] : [])).joined(separator: "\n")
    }

    var json: [String: Any] {
        var object: [String: Any] = [
            "fault": fault.rawValue, "ok": ok, "orders": orders, "events": events, "seconds": seconds,
            "settled_seconds": settledSeconds,
            "violations": Array(violations.prefix(100)), "violation_count": violations.count,
        ]
        if let cleanSeconds { object["clean_seconds"] = cleanSeconds }
        return object
    }
}

/// Every phase's verdict, and the JSON line `oms chaos --json` ends with.
struct ChaosReport {
    var verdicts: [ChaosVerdict]

    var ok: Bool { verdicts.allSatisfy(\.ok) }

    var summary: String {
        "\(ok ? "held" : "VIOLATED"): \(verdicts.filter(\.ok).count) of \(verdicts.count) faults, "
            + "\(verdicts.map(\.orders).reduce(0, +)) orders"
    }

    func printJSON() {
        let object: [String: Any] = [
            "ok": ok, "orders": verdicts.map(\.orders).reduce(0, +), "events": verdicts.map(\.events).reduce(0, +),
            "violations": verdicts.map(\.violations.count).reduce(0, +), "faults": verdicts.map(\.json),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        print(String(decoding: data, as: UTF8.self))
    }
}
