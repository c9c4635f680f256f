import Foundation

/// What the supervisor writes after every change, for `oms cluster status`
/// and for the commands that signal it.
public struct ClusterState: Codable, Sendable, Equatable {
    public var supervisorPID: Int32
    public var startedAt: Date
    /// Stage → copies wanted.
    public var scale: [String: Int]
    public var copies: [CopyState]
    /// True once the supervisor has begun stopping every copy.
    public var stopping: Bool

    public init(supervisorPID: Int32, startedAt: Date, scale: [String: Int], copies: [CopyState], stopping: Bool) {
        self.supervisorPID = supervisorPID
        self.startedAt = startedAt
        self.scale = scale
        self.copies = copies
        self.stopping = stopping
    }

    public func copies(of stage: String) -> [CopyState] {
        copies.filter { $0.stage == stage }.sorted { $0.index < $1.index }
    }

    enum CodingKeys: String, CodingKey {
        case supervisorPID = "supervisor_pid", startedAt = "started_at", scale, copies, stopping
    }
}

/// One copy of a stage's worker.
public struct CopyState: Codable, Sendable, Equatable {
    public var stage: String
    /// 1, 2, …: which copy of its stage.
    public var index: Int
    /// Nil while it waits to be restarted.
    public var pid: Int32?
    public var startedAt: Date?
    public var restarts: Int
    /// How the last process of this copy ended ("killed by signal 9"…).
    public var lastExit: String?
    public var restartAt: Date?
    public var logPath: String

    public init(stage: String, index: Int, pid: Int32?, startedAt: Date?, restarts: Int, lastExit: String?,
                restartAt: Date?, logPath: String) {
        self.stage = stage
        self.index = index
        self.pid = pid
        self.startedAt = startedAt
        self.restarts = restarts
        self.lastExit = lastExit
        self.restartAt = restartAt
        self.logPath = logPath
    }

    public var name: String { "oms-\(stage)#\(index)" }

    enum CodingKeys: String, CodingKey {
        case stage, index, pid, restarts
        case startedAt = "started_at", lastExit = "last_exit", restartAt = "restart_at", logPath = "log"
    }
}

/// The supervisor's files in one directory: `scale.json` (what is wanted,
/// written by `up` and `scale`), `state.json` (what runs, written by the
/// supervisor), `supervisor.log`, and `logs/oms-STAGE-N.log` per copy.
public struct ClusterDirectory: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public var scaleFile: String { path + "/scale.json" }
    public var stateFile: String { path + "/state.json" }
    public var supervisorLog: String { path + "/supervisor.log" }
    public var logDirectory: String { path + "/logs" }
    public func logPath(stage: String, index: Int) -> String { "\(logDirectory)/oms-\(stage)-\(index).log" }
    /// The file a copy touches while it runs (`OMS_LIVENESS_FILE`).
    public func livenessPath(stage: String, index: Int) -> String { "\(logDirectory)/oms-\(stage)-\(index).alive" }

    public func create() throws {
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
    }

    public func readScale() throws -> [String: Int] {
        try JSONDecoder().decode([String: Int].self, from: Data(contentsOf: URL(fileURLWithPath: scaleFile)))
    }

    public func writeScale(_ scale: [String: Int]) throws {
        try write(scale, to: scaleFile)
    }

    /// The state, when a supervisor wrote one and is still alive.
    public func runningState() -> ClusterState? {
        guard let data = FileManager.default.contents(atPath: stateFile),
              let state = try? Self.decoder.decode(ClusterState.self, from: data),
              Spawn.isAlive(state.supervisorPID) else { return nil }
        return state
    }

    public func writeState(_ state: ClusterState) throws {
        try write(state, to: stateFile)
    }

    public func removeState() {
        try? FileManager.default.removeItem(atPath: stateFile)
    }

    /// Written to a temporary file and renamed, so a reader never sees half.
    private func write(_ value: some Encodable, to file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let temporary = file + ".tmp"
        try encoder.encode(value).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, file) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
