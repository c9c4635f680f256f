import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failure told to a person in one line: what is wrong and what to do.
/// Commands throw it (or a client error, which `CLI.run` turns into one); the
/// line goes to standard error and the exit code is non-zero, never a trace.
public struct CLIError: Error, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32 = 1

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}

/// One line on standard error.
public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

public func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
