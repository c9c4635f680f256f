import CLISupport
import Foundation
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// Workers run under `valgrind --tool=callgrind`, which counts the
/// instructions a process executes: the same count on a busy machine as on
/// an idle one, where wall and CPU time are not.
enum Callgrind {
    /// The library preloaded into each worker (Sources/CallgrindShim):
    /// without it valgrind 3.19 dies in the sigsuspend() that libdispatch's
    /// main thread ends in.
    static let shim = "liboms-callgrind-shim.so"

    /// Prepares `output` for one run and returns its `bin` folder: there a
    /// script per stage, named like its worker (`oms-capture`…), runs a copy
    /// of the worker under callgrind, with its counts in
    /// `output/oms-STAGE.PID.callgrind`. The folder is the supervisor's bin
    /// directory for the run, so the supervisor starts, signals and restarts
    /// the copies as it always does (valgrind runs the worker in its own
    /// process and passes SIGTERM on). The copies, in `output/workers`, have
    /// no debug sections (`objcopy --strip-debug`): valgrind 3.19 cannot read
    /// the DWARF 5 that Swift writes and gives up on the worker. The code,
    /// so the count, is the same; the symbols stay for `callgrind_annotate`.
    static func prepare(stages: [String], binDirectory: String, output: String) async throws -> String {
        let shim = "\(binDirectory)/\(Self.shim)"
        guard FileManager.default.fileExists(atPath: shim) else {
            throw CLIError("no \(shim): build it with the workers (`swift build -c release`)")
        }
        let bin = output + "/bin", workers = output + "/workers"
        for folder in [bin, workers] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for stage in stages {
            let worker = "\(workers)/oms-\(stage)"
            try await stripDebugSections("\(binDirectory)/oms-\(stage)", to: worker)
            let path = "\(bin)/oms-\(stage)"
            try script(worker: worker, output: "\(output)/oms-\(stage)", shim: shim)
                .write(toFile: path, atomically: true, encoding: .utf8)
            guard chmod(path, 0o755) == 0 else { throw CLIError("cannot make \(path) executable") }
        }
        return bin
    }

    /// The wrapper's text; valgrind's own messages go to a file beside the counts.
    static func script(worker: String, output prefix: String, shim: String) -> String {
        """
        #!/bin/sh
        # Written by oms bench --instructions: \(URL(fileURLWithPath: worker).lastPathComponent) under callgrind.
        LD_PRELOAD=\(quoted(shim)) exec valgrind --tool=callgrind \\
        --callgrind-out-file=\(quoted(prefix + ".%p.callgrind")) --log-file=\(quoted(prefix + ".%p.valgrind.log")) \\
        \(quoted(worker)) "$@"

        """
    }

    private static func stripDebugSections(_ source: String, to destination: String) async throws {
        try? FileManager.default.removeItem(atPath: destination)
        let pid = try Spawn.process("objcopy", arguments: ["--strip-debug", source, destination],
                                    logPath: destination + ".objcopy.log")
        guard await Spawn.exitStatus(of: pid) == 0 else {
            throw CLIError("objcopy --strip-debug \(source) failed (is binutils installed?); see "
                + "\(destination).objcopy.log")
        }
        try? FileManager.default.removeItem(atPath: destination + ".objcopy.log")
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Stage → the instructions of each of its processes whose counts are in
    /// `output` (a copy restarted during the run leaves one file more).
    static func counts(in output: String) throws -> [String: [Int]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".callgrind") }
        var counts: [String: [Int]] = [:]
        for file in files.sorted() {
            let stage = String(file.dropFirst("oms-".count).prefix { $0 != "." })
            let text = try String(contentsOfFile: "\(output)/\(file)", encoding: .utf8)
            guard let instructions = instructions(inOutput: text) else {
                throw CLIError("\(output)/\(file) has no instruction total: the worker ended before callgrind "
                    + "wrote it (killed?); see the .valgrind.log beside it")
            }
            counts[stage, default: []].append(instructions)
        }
        return counts
    }

    /// The count of a callgrind output file: its `totals:` line (written
    /// last), else its `summary:` line.
    static func instructions(inOutput text: String) -> Int? {
        var summary: Int?
        for line in text.split(separator: "\n") where line.hasPrefix("totals:") || line.hasPrefix("summary:") {
            let value = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            if line.hasPrefix("totals:") { return value }
            summary = summary ?? value
        }
        return summary
    }

    /// Installs valgrind with apt-get when it is missing, as scripts/services
    /// installs its packages (as root, else through sudo; once more after
    /// `apt-get update`); otherwise says how.
    static func ensureInstalled(_ console: Console) async throws {
        guard !isInstalled else { return }
        let root = getuid() == 0
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-get"), root || findInPath("sudo") != nil else {
            throw CLIError("valgrind is missing; install it (as root: apt-get install -y valgrind)")
        }
        let command = (root ? [] : ["sudo"]) + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("oms-bench-apt-get.log").path
        console.say("installing valgrind with apt-get (output in \(log))…")
        let install = ["install", "-y", "-q", "--no-install-recommends", "valgrind"]
        for attempt in [[install], [["update", "-q"], install]] {
            var status: Int32 = 0
            for arguments in attempt where status == 0 {
                let pid = try Spawn.process(command[0], arguments: Array(command.dropFirst()) + arguments, logPath: log)
                status = await Spawn.exitStatus(of: pid)
            }
            if status == 0 && isInstalled { return }
        }
        throw CLIError("could not install valgrind with apt-get; see \(log)")
    }

    static var isInstalled: Bool { findInPath("valgrind") != nil }

    private static func findInPath(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
