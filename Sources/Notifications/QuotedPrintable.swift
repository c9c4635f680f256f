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
        var output: [UInt8] = []
        encode(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the encoded text to `output`: the message is built in one
    /// buffer, byte by byte, without a string per character.
    public static func encode(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0D || byte == 0x0A {
                    encodeLine(bytes[start..<index], into: &output)
                    index += (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                    start = index
                } else {
                    index += 1
                }
            }
            // A trailing line end does not start another (empty) line.
            if start < bytes.count { encodeLine(bytes[start..<bytes.count], into: &output) }
        }
    }

    private static func encodeLine(_ line: Slice<UnsafeBufferPointer<UInt8>>, into output: inout [UInt8]) {
        var lineLength = 0
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            let isLast = index == line.endIndex - 1
            var literal = isLiteral(byte, atEndOfLine: isLast) && !(lineLength == 0 && startsMunged(line[index...]))
            let width = literal ? 1 : 3
            // The last token may fill the line; any other leaves room for a soft break's '='.
            let room = isLast ? maxLineLength : maxLineLength - 1
            if lineLength + width > room {
                output.append(contentsOf: softBreak)
                lineLength = 0
                if startsMunged(line[index...]) { literal = false }
            }
            if literal {
                output.append(byte)
                lineLength += 1
            } else {
                output.append(UInt8(ascii: "="))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
                lineLength += 3
            }
            index += 1
        }
        output.append(0x0D)
        output.append(0x0A)
    }

    private static let softBreak: [UInt8] = Array("=\r\n".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    private static let from: [UInt8] = Array("From ".utf8)

    private static func isLiteral(_ byte: UInt8, atEndOfLine: Bool) -> Bool {
        switch byte {
        case 0x20, 0x09: !atEndOfLine
        case 0x21...0x7E: byte != UInt8(ascii: "=")
        default: false
        }
    }

    /// Whether a physical line starting here would begin with `.` or `From `.
    private static func startsMunged(_ rest: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        rest.first == UInt8(ascii: ".") || rest.starts(with: from)
    }
}
