import Foundation
import Synchronization
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
    /// Writes `name` in `folder`, creating the folder the first time it is missing.
    /// Paths are plain strings: no URL or UUID per file on the hot path.
    public static func write(_ bytes: [UInt8], folder: String, name: String) throws {
        let path = folder + "/" + name
        let temporary = "\(folder)/.\(name).\(getpid()).\(sequence.add(1, ordering: .relaxed).newValue)"
        do {
            do {
                try writeWhole(bytes, to: temporary)
            } catch let error as CocoaError where error.code == .fileNoSuchFile {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try writeWhole(bytes, to: temporary)
            }
            try check(rename(temporary, path) == 0, path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// The file name of an order's label or packing slip: `<order>.pdf`, or
    /// `<order>-<n>.pdf` for parcel n of an order shipped in parcels. The
    /// dashboard finds them by the same name.
    public static func orderDocument(_ orderID: String, parcel: Int? = nil) -> String {
        orderID + (parcel.map { "-\($0)" } ?? "") + ".pdf"
    }

    /// Removes a document that should no longer be acted on (the packing slip
    /// of an order cancelled while it was picked); absent is fine.
    public static func remove(folder: String, name: String) {
        unlink(folder + "/" + name)
    }

    /// Tells apart the temporary files of the writes in flight in this process.
    private static let sequence = Atomic<Int>(0)

    private static func writeWhole(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT { throw CocoaError(.fileNoSuchFile) }
        try check(fd >= 0, path)
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            try check(count > 0, path)
            written += count
        }
    }

    private static func check(_ succeeded: Bool, _ path: String) throws {
        guard !succeeded else { return }
        let reason = String(cString: strerror(errno))
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                       NSLocalizedDescriptionKey: "cannot write \(path): \(reason)"])
    }
}
