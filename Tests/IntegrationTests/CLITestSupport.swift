import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a run of the `oms` binary left: exit code, standard output and error.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Runs `command` to its end, its input from `stdin` and its output and
    /// errors kept apart. One still running after 20 minutes is stopped
    /// (status -1, said last in `stderr`).
    static func capture(_ command: [String], environment: [String: String] = [:], stdin: String? = nil)
        async throws -> CLIResult {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-cli-\(UUID().uuidString.prefix(8))").path
        let inputPath = base + ".in", outputPath = base + ".out", errorPath = base + ".err"
        defer { [inputPath, outputPath, errorPath].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        if let stdin { try stdin.write(toFile: inputPath, atomically: true, encoding: .utf8) }

        let pid = try ChildProcess.spawn(command, environment: environment, outputPath: outputPath,
                                         errorPath: errorPath, inputPath: stdin == nil ? "/dev/null" : inputPath)
        let status = await ChildProcess.exitCode(of: pid)
        let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return CLIResult(status: status ?? -1,
                         stdout: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                         stderr: stderr + (status == nil ? "\n(stopped by the test: still running after 20 minutes)" : ""))
    }

    /// The standard output parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
}

/// Runs the `oms` executable (or a worker's) built beside the test bundle as
/// a child process, with its own standard input, output and error, and its exit code.
enum OMSCLI {
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                    executable: String = "oms") async throws -> CLIResult {
        try await CLIResult.capture([try path(of: executable)] + arguments, environment: environment, stdin: stdin)
    }

    /// The executable built beside the test bundle, or an error saying to build it.
    static func path(of executable: String) throws -> String {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent(executable).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ChildProcessFailed(command: [binary], status: 127,
                                     output: "not built: run `swift build` (make test does) before the tests")
        }
        return binary
    }

    /// A temporary file with `text`, named so that its extension picks the format.
    static func file(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("oms-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension PipelineHarness {
    /// The environment that points `oms` at this test's vhost and the shared Redis.
    var cliEnvironment: [String: String] {
        ["OMS_AMQP_URL": amqpURL, "OMS_REDIS_URL": TestServers.redisURL]
    }

    func oms(_ arguments: String..., stdin: String? = nil) async throws -> CLIResult {
        try await OMSCLI.run(arguments, environment: cliEnvironment, stdin: stdin)
    }

    func oms(arguments: [String], stdin: String? = nil) async throws -> CLIResult {
        try await OMSCLI.run(arguments, environment: cliEnvironment, stdin: stdin)
    }
}
