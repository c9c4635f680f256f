import Foundation
import Notifications
import Testing

@Suite("Quoted-printable bodies")
struct QuotedPrintableTests {
    /// A plain decoder (RFC 2045 §6.7), to check that encoding loses nothing.
    static func decode(_ encoded: String) -> String {
        var bytes: [UInt8] = []
        let lines = encoded.components(separatedBy: "\r\n")
        for (index, line) in lines.enumerated() {
            var chars = Array(line.utf8)
            let soft = chars.last == UInt8(ascii: "=")
            if soft { chars.removeLast() }
            var i = 0
            while i < chars.count {
                if chars[i] == UInt8(ascii: "="), i + 2 < chars.count,
                   let value = UInt8(String(decoding: chars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    i += 3
                } else {
                    bytes.append(chars[i])
                    i += 1
                }
            }
            if !soft && index < lines.count - 1 { bytes += [0x0A] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("ASCII stays, '=' and non-ASCII become =XX, lines end with CRLF")
    func basics() {
        #expect(QuotedPrintable.encode("Hello\n") == "Hello\r\n")
        #expect(QuotedPrintable.encode("a=b\n") == "a=3Db\r\n")
        #expect(QuotedPrintable.encode("Zoë £5\n") == "Zo=C3=AB =C2=A35\r\n")
        #expect(QuotedPrintable.encode("one\r\ntwo\rthree\nfour") == "one\r\ntwo\r\nthree\r\nfour\r\n")
    }

    @Test("space and tab at the end of a line are encoded, elsewhere not")
    func trailingWhitespace() {
        #expect(QuotedPrintable.encode("-- \nx\t\na b\n") == "--=20\r\nx=09\r\na b\r\n")
    }

    @Test("a line starting with '.' or 'From ' is escaped")
    func guardedLineStarts() {
        #expect(QuotedPrintable.encode(".\nFrom here\nFromage\n") == "=2E\r\n=46rom here\r\nFromage\r\n")
    }

    @Test("long lines get soft breaks at 76 characters, never inside =XX, and decode back", arguments: [
        String(repeating: "a", count: 76),
        String(repeating: "a", count: 77),
        String(repeating: "a", count: 75) + "é",
        String(repeating: "é", count: 60),
        String(repeating: "word ", count: 40),
        String(repeating: "x", count: 74) + " .From " + String(repeating: "=", count: 30),
        "<p style=\"margin:0 0 16px;font-size:20px;\">Ünïcödé ✈ " + String(repeating: "long html ", count: 20) + "</p>",
    ])
    func softBreaks(line: String) {
        let encoded = QuotedPrintable.encode(line + "\n")
        let lines = encoded.components(separatedBy: "\r\n").dropLast()
        for encodedLine in lines {
            #expect(encodedLine.utf8.count <= 76, "\(encodedLine)")
            #expect(!encodedLine.hasSuffix(" ") && !encodedLine.hasSuffix("\t"))
            #expect(!encodedLine.hasPrefix("."))
        }
        #expect(Self.decode(encoded) == line + "\n")
        if line.utf8.count == 76 { #expect(lines.count == 1) }
    }
}
