import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files the stages write for people (labels, packing slips, picklists):
/// written whole to a temporary name, then renamed, so a reader never sees
/// half a file and writing the same file again is harmless.
///
/// No fsync: a document is derived from the order, and the rename keeps it
/// whole or absent. Foundation's `Data.write` syncs every file, which costs a
/// disk flush per order at a sales peak.
public enum DocumentFiles {
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8))")
        do {
            try writeWhole(bytes, to: temporary.path)
            try check(rename(temporary.path, url.path) == 0, url)
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    private static func writeWhole(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try check(fd >= 0, URL(fileURLWithPath: path))
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            try check(count > 0, URL(fileURLWithPath: path))
            written += count
        }
    }

    private static func check(_ succeeded: Bool, _ url: URL) throws {
        guard !succeeded else { return }
        let reason = String(cString: strerror(errno))
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path,
                                                       NSLocalizedDescriptionKey: "cannot write \(url.path): \(reason)"])
    }
}
