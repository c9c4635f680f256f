import Testing
@testable import SMTPClient

@Suite("message line endings")
struct MessageBytesTests {
    @Test("bare LF and bare CR become CRLF; CRLF stays; a final CRLF is added", arguments: [
        ("a\r\nb\r\n", "a\r\nb\r\n"),
        ("a\nb\n", "a\r\nb\r\n"),
        ("a\rb\r", "a\r\nb\r\n"),
        ("a\r\n\nb", "a\r\n\r\nb\r\n"),
        ("a\r\r\nb\r\n", "a\r\n\r\nb\r\n"),
        ("\n.\n", "\r\n.\r\n"),
        ("no ending", "no ending\r\n"),
        ("", ""),
    ])
    func normalized(input: String, output: String) {
        #expect(MessageBytes.crlfNormalized(Array(input.utf8)) == Array(output.utf8))
    }

    @Test("bytes other than CR and LF pass untouched, UTF-8 and binary alike")
    func otherBytes() {
        let bytes: [UInt8] = Array("Grüße\r\n".utf8) + [0, 0xFF, 0x2E, 13, 10]
        #expect(MessageBytes.crlfNormalized(bytes) == bytes)
    }
}
