/// The message bytes and how far libcurl has read them: the box behind
/// CURLOPT_READDATA. Only the sender's thread touches it, during one
/// `curl_easy_perform`, while the transfer keeps it alive.
final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes, at most `capacity`, into libcurl's buffer and
    /// returns how many; 0 once all are read.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
