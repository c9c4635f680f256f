import CLISupport
import Foundation

/// Instructions each stage's workers executed in runs of different sizes,
/// and what one order costs: the slope between the smallest and the largest
/// run, (I(N2) − I(N1)) / (N2 − N1), so that start-up, connecting, the wait
/// for consumers and shutdown, the same in every run, cancel.
struct InstructionCounts {
    struct Sample {
        var orders: Int
        /// Stage → instructions of all its copies over the whole run.
        var instructions: [String: Int]
    }

    /// In the order the runs were made.
    var samples: [Sample]
    /// The stages in the order to show them.
    var stages: [String]

    private var first: Sample? { samples.min { $0.orders < $1.orders } }
    private var last: Sample? { samples.max { $0.orders < $1.orders } }

    /// Nil without two different sizes, or for a stage a run has no count of.
    func perOrder(_ stage: String) -> Int? {
        guard let first, let last, last.orders > first.orders,
              let small = first.instructions[stage], let large = last.instructions[stage] else { return nil }
        return Int((Double(large - small) / Double(last.orders - first.orders)).rounded())
    }

    /// Every stage's slope added up: the pipeline's instructions per order.
    var totalPerOrder: Int? {
        let slopes = stages.map(perOrder)
        return slopes.contains(nil) ? nil : slopes.compactMap { $0 }.reduce(0, +)
    }

    var json: [String: Any] {
        var perOrder: [String: Any] = [:]
        for stage in stages { perOrder[stage] = self.perOrder(stage) ?? NSNull() }
        return [
            "name": "oms-instructions",
            "orders": samples.map(\.orders),
            "instructions_per_order": perOrder,
            "total_per_order": totalPerOrder ?? NSNull(),
            "instructions": Dictionary(uniqueKeysWithValues: stages.map { stage in
                (stage, samples.map { $0.instructions[stage] ?? 0 })
            }),
        ]
    }

    func printTable() {
        print("\ninstructions per order, counted by callgrind: (I(N2) − I(N1)) / (N2 − N1)")
        let rows = stages.map { stage in
            [stage] + samples.map { Self.grouped($0.instructions[stage]) } + [Self.grouped(perOrder(stage))]
        }
        Output.table(["STAGE"] + samples.map { "I(\($0.orders))" } + ["PER ORDER"],
                     rows + [["all"] + samples.map { Self.grouped($0.instructions.values.reduce(0, +)) }
                        + [Self.grouped(totalPerOrder)]])
    }

    /// 12,345,678: instruction counts are long.
    static func grouped(_ value: Int?) -> String {
        guard let value else { return "-" }
        var rest = Substring(String(value.magnitude))
        var groups: [Substring] = []
        while rest.count > 3 {
            groups.insert(rest.suffix(3), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(rest, at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
