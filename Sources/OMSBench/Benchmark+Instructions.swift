import CLISupport
import Foundation
import OMSContract

extension Benchmark {
    /// Each worker's instructions per order, repeatable on a noisy machine:
    /// the pipeline runs once per count in `counts` with every worker under
    /// callgrind (50 to 100 times slower, so keep the counts small), and
    /// the figure is the slope between the smallest and the largest run.
    /// Prints a table, or under `json` one JSON object last; the callgrind
    /// files stay under the cluster directory for `callgrind_annotate`. True
    /// when every run passed its checks.
    public func countInstructions(at counts: [Int]) async throws -> Bool {
        let console = Console(json: json)
        let scales = try curve()
        guard scales.count == 1, let copies = scales.first else {
            throw CLIError("--instructions runs one scale: give each stage one count of copies")
        }
        try await Callgrind.ensureInstalled(console)
        let environment = try await workerEnvironment(console, startingServers: !serversGiven)
        let signals = ClusterLauncher.stoppingOnSignals(directory)
        defer { signals.forEach { $0.cancel() } }
        let folder = directory.path + "/callgrind"
        var samples: [InstructionCounts.Sample] = []
        var passed = true
        for count in counts {
            let output = "\(folder)/\(count)"
            try? FileManager.default.removeItem(atPath: output)
            console.say("instructions: \(count) orders, every worker under callgrind (slow)…")
            var run = benchRun(orders: count, copies: copies, environment: environment, console: console)
            run.binDirectory = try await Callgrind.prepare(stages: copies.keys.sorted(), binDirectory: binDirectory,
                                                           output: output)
            run.startLimit = .seconds(300)
            run.stallLimit = .seconds(300)
            run.grace = 300 // SIGKILL would lose the counts, which callgrind writes as the worker exits
            let result = try await run.run()
            console.say(result.checks.line)
            passed = passed && result.checks.passed
            let counts = try Callgrind.counts(in: output)
            for (stage, processes) in counts where processes.count > copies[stage, default: 0] {
                throw CLIError("oms-\(stage) was restarted during the \(count)-order run (\(processes.count) processes), "
                    + "so its count is not one run's; see \(directory.logDirectory) and \(output)/*.valgrind.log")
            }
            samples.append(InstructionCounts.Sample(orders: count,
                                                    instructions: counts.mapValues { $0.reduce(0, +) }))
        }
        let figures = InstructionCounts(samples: samples,
                                        stages: Stage.allCases.map(\.rawValue).filter { copies[$0, default: 0] > 0 })
        if json {
            var object = figures.json
            object["checks_passed"] = passed
            Self.printLine(object)
        } else {
            figures.printTable()
            print("callgrind's files: \(folder)/N/oms-STAGE.PID.callgrind (callgrind_annotate FILE shows where they go)")
        }
        return passed
    }
}
