/// The message as SMTP carries it.
enum MessageBytes {
    /// `message` with every line ending CRLF, and a final CRLF added when it
    /// does not end with one.
    ///
    /// SMTP lines end in CRLF. libcurl sends the bytes as they are (it only
    /// doubles a "." that starts a line and appends the final "."), so a bare
    /// LF or CR would go through as is, and servers differ on what they make
    /// of it: some refuse the message, some read "LF . LF" as its end (SMTP
    /// smuggling). Bare LF and bare CR therefore become CRLF. A message that
    /// already has CRLF line endings is returned unchanged, without a copy.
    static func crlfNormalized(_ message: [UInt8]) -> [UInt8] {
        guard needsNormalizing(message) else { return message }
        var result: [UInt8] = []
        result.reserveCapacity(message.count + message.count / 32 + 2)
        var index = 0
        while index < message.count {
            let byte = message[index]
            switch byte {
            case cr:
                result += [cr, lf]
                // CRLF is one ending, not two.
                index += (index + 1 < message.count && message[index + 1] == lf) ? 2 : 1
            case lf:
                result += [cr, lf]
                index += 1
            default:
                result.append(byte)
                index += 1
            }
        }
        if !result.isEmpty, result.last != lf { result += [cr, lf] }
        return result
    }

    /// Whether some CR is not followed by LF, some LF not preceded by CR,
    /// or the message does not end with CRLF.
    private static func needsNormalizing(_ message: [UInt8]) -> Bool {
        guard let last = message.last else { return false }
        if last != lf { return true }
        for index in message.indices {
            switch message[index] {
            case cr where index + 1 == message.count || message[index + 1] != lf: return true
            case lf where index == 0 || message[index - 1] != cr: return true
            default: continue
            }
        }
        return false
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
}
