import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files the stages write for people (labels, packing slips, picklists):
/// written whole to a temporary name, then renamed, so a reader never sees
/// half a file and writing the same file again is harmless.
public enum DocumentFiles {
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8))")
        try Data(bytes).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path,
                                                           NSLocalizedDescriptionKey: "cannot write \(url.path): \(reason)"])
        }
    }
}
