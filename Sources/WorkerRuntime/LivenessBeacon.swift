import Foundation
import ServiceLifecycle

/// Touches a file every second while the worker's tasks run, so that the
/// supervisor can tell a stopped or starved copy (SIGSTOP, a pool that no
/// longer runs) from a quiet one and replace it: killing the copy closes its
/// connection, and the broker gives its unacked messages to the next.
struct LivenessBeacon: Service {
    let path: String

    func run() async throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
