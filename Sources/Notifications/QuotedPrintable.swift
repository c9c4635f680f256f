/// Quoted-printable (RFC 2045 §6.7) for the text and HTML parts: printable
/// ASCII as it is, every other byte (UTF-8 of non-ASCII text, `=`) as `=XX`,
/// space and tab at the end of a line as `=20`/`=09`, lines of at most 76
/// characters joined by soft line breaks (`=` at the end), and CRLF line ends
/// whatever the input used (CRLF, LF or CR).
///
/// Two extra escapes keep the body intact through mail software that would
/// otherwise touch it: a `.` starting a line is written `=2E` (an SMTP client
/// that forgot dot-stuffing cannot end the message early) and `From ` starting a
/// line `=46rom ` (mbox files would turn it into `>From `).
public enum QuotedPrintable {
    public static let maxLineLength = 76

    /// The encoded text; every line, the last one included, ends with CRLF.
    public static func encode(_ text: String) -> String {
        var output = ""
        for line in lines(of: Array(text.utf8)) {
            encodeLine(line, into: &output)
        }
        return output
    }

    /// Hard lines without their line ends. A trailing line end does not start
    /// another (empty) line.
    static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                result.append(bytes[start..<index])
                index += (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        if start < bytes.count { result.append(bytes[start..<bytes.count]) }
        return result
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout String) {
        let bytes = Array(line)
        var current = ""
        for (offset, byte) in bytes.enumerated() {
            let isLast = offset == bytes.count - 1
            var token = literal(byte, atEndOfLine: isLast) ?? escaped(byte)
            if current.isEmpty && startsMunged(bytes[offset...]) { token = escaped(byte) }
            // The last token may fill the line; any other leaves room for a soft break's '='.
            let room = isLast ? maxLineLength : maxLineLength - 1
            if current.utf8.count + token.utf8.count > room {
                output += current + "=\r\n"
                current = ""
                if startsMunged(bytes[offset...]) { token = escaped(byte) }
            }
            current += token
        }
        output += current + "\r\n"
    }

    private static func literal(_ byte: UInt8, atEndOfLine: Bool) -> String? {
        switch byte {
        case 0x20, 0x09: atEndOfLine ? nil : String(UnicodeScalar(byte))
        case 0x21...0x7E where byte != UInt8(ascii: "="): String(UnicodeScalar(byte))
        default: nil
        }
    }

    private static func escaped(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// Whether a physical line starting here would begin with `.` or `From `.
    private static func startsMunged(_ rest: ArraySlice<UInt8>) -> Bool {
        rest.first == UInt8(ascii: ".") || rest.starts(with: Array("From ".utf8))
    }
}
