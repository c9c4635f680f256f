import Foundation

/// Progress and notes: standard output for people, standard error under `--json`.
public struct Console: Sendable {
    public var json: Bool

    public init(json: Bool) {
        self.json = json
    }

    /// Unbuffered, so progress reaches a pipe or a file as it happens.
    public func say(_ line: String) {
        if json { printError(line) } else { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    /// A line that replaces the previous one on a terminal.
    public func progress(_ line: String) {
        let fd: Int32 = json ? 2 : 1
        guard isTerminal(fd) else { return say(line) }
        let handle = json ? FileHandle.standardError : FileHandle.standardOutput
        handle.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    public func endProgress() {
        let fd: Int32 = json ? 2 : 1
        if isTerminal(fd) { (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data("\n".utf8)) }
    }
}
