import Foundation

/// Reads back what the writer made, byte by byte, to check its structure and
/// find its text, with no PDF library: the file layout of PDF 1.4 §3.4.
struct PDFInspector {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Everything wrong with the file's structure; empty for a valid file.
    var problems: [String] {
        var problems: [String] = []
        if !bytes.starts(with: Array("%PDF-1.4\n".utf8)) { problems.append("does not start with %PDF-1.4") }
        if !bytes.reversed().starts(with: Array("%%EOF\n".utf8).reversed()) { problems.append("does not end with %%EOF") }

        guard let startxref = lastIndex(of: "startxref\n"),
              let xref = Int(line(at: startxref + "startxref\n".utf8.count))
        else { return problems + ["no startxref"] }
        guard xref < bytes.count, matches("xref\n", at: xref) else { return problems + ["startxref misses xref"] }

        var cursor = xref + "xref\n".utf8.count
        let subsection = line(at: cursor).split(separator: " ")
        guard subsection.count == 2, subsection[0] == "0", let size = Int(subsection[1]) else {
            return problems + ["bad xref subsection"]
        }
        cursor += line(at: cursor).utf8.count + 1
        for number in 0..<size {
            let entry = String(decoding: bytes[cursor..<min(cursor + 20, bytes.count)], as: UTF8.self)
            cursor += 20
            if number == 0 {
                if entry != "0000000000 65535 f \n" { problems.append("bad free entry \(entry)") }
                continue
            }
            let parts = entry.split(separator: " ")
            guard entry.count == 20, entry.hasSuffix(" 00000 n \n"), parts[0].count == 10,
                  let offset = Int(parts[0]) else {
                problems.append("bad xref entry \(number): \(entry)")
                continue
            }
            if !matches("\(number) 0 obj\n", at: offset) { problems.append("object \(number) not at \(offset)") }
        }
        if !matches("trailer\n", at: cursor) { problems.append("no trailer after the xref table") }
        let trailer = String(decoding: bytes[cursor..<startxref], as: UTF8.self)
        if !trailer.contains("/Size \(size) ") { problems.append("trailer /Size is not \(size)") }
        if !trailer.contains("/Root 1 0 R") { problems.append("trailer has no /Root") }

        if pageCount != pageObjectCount { problems.append("/Count \(pageCount) but \(pageObjectCount) pages") }
        problems += streamProblems
        return problems
    }

    /// /Count of the page tree.
    var pageCount: Int {
        guard let start = firstIndex(of: "/Type /Pages ") else { return -1 }
        let text = String(decoding: bytes[start...], as: UTF8.self)
        guard let range = text.range(of: "/Count ") else { return -1 }
        return Int(text[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }

    var pageObjectCount: Int {
        occurrences(of: "/Type /Page ")
    }

    /// The content streams in file order, one per page.
    var contentStreams: [[UInt8]] {
        streams.compactMap { $0.content }
    }

    /// The text of every string shown with Tj, page by page; bytes above 127
    /// read as Latin-1, which is WinAnsi there except for 0x80–0x9F.
    var pageTexts: [[String]] {
        contentStreams.map { Self.shownStrings(in: $0).map(Self.latin1) }
    }

    var allText: String {
        pageTexts.flatMap { $0 }.joined(separator: "\n")
    }

    static func latin1(_ bytes: [UInt8]) -> String {
        String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    /// The bytes of each literal string followed by `Tj`, escapes undone.
    /// A string left open or not followed by Tj is recorded as nil.
    static func shownStrings(in stream: [UInt8]) -> [[UInt8]] {
        literalStrings(in: stream).compactMap { $0 }
    }

    static func literalStrings(in stream: [UInt8]) -> [[UInt8]?] {
        var result: [[UInt8]?] = []
        var index = 0
        while index < stream.count {
            guard stream[index] == UInt8(ascii: "(") else {
                index += 1
                continue
            }
            index += 1
            var depth = 1
            var value: [UInt8] = []
            while index < stream.count, depth > 0 {
                let byte = stream[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\\"):
                    guard index < stream.count else { break }
                    let next = stream[index]
                    if (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(next) {
                        var code = 0
                        var digits = 0
                        while digits < 3, index < stream.count,
                              (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(stream[index]) {
                            code = code * 8 + Int(stream[index] - UInt8(ascii: "0"))
                            index += 1
                            digits += 1
                        }
                        value.append(UInt8(code & 0xFF))
                    } else {
                        let escapes: [UInt8: UInt8] = [UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13,
                                                       UInt8(ascii: "t"): 9, UInt8(ascii: "b"): 8,
                                                       UInt8(ascii: "f"): 12]
                        value.append(escapes[next] ?? next)
                        index += 1
                    }
                case UInt8(ascii: "("):
                    depth += 1
                    value.append(byte)
                case UInt8(ascii: ")"):
                    depth -= 1
                    if depth > 0 { value.append(byte) }
                default:
                    value.append(byte)
                }
            }
            let shown = depth == 0 && stream[index...].starts(with: Array(" Tj".utf8))
            result.append(shown ? value : nil)
        }
        return result
    }

    private struct Stream {
        var content: [UInt8]?
        var problem: String?
    }

    private var streams: [Stream] {
        var result: [Stream] = []
        var searchFrom = 0
        while let start = firstIndex(of: "<< /Length ", from: searchFrom) {
            let digitsStart = start + "<< /Length ".utf8.count
            let digits = bytes[digitsStart...].prefix { (48...57).contains($0) }
            let header = " >>\nstream\n"
            let dataStart = digitsStart + digits.count + header.utf8.count
            searchFrom = dataStart
            guard let length = Int(String(decoding: digits, as: UTF8.self)),
                  matches(header, at: digitsStart + digits.count),
                  dataStart + length <= bytes.count,
                  matches("\nendstream", at: dataStart + length)
            else {
                result.append(Stream(content: nil, problem: "stream at \(start): /Length does not end at endstream"))
                continue
            }
            result.append(Stream(content: Array(bytes[dataStart..<dataStart + length])))
        }
        return result
    }

    private var streamProblems: [String] {
        let streams = streams
        var problems = streams.compactMap(\.problem)
        if streams.count != pageObjectCount { problems.append("\(streams.count) streams for \(pageObjectCount) pages") }
        return problems
    }

    // MARK: bytes

    func matches(_ text: String, at offset: Int) -> Bool {
        offset >= 0 && offset <= bytes.count && bytes[offset...].starts(with: Array(text.utf8))
    }

    func firstIndex(of text: String, from start: Int = 0) -> Int? {
        let needle = Array(text.utf8)
        guard needle.count <= bytes.count else { return nil }
        var offset = start
        while offset + needle.count <= bytes.count {
            if bytes[offset] == needle[0], bytes[offset..<offset + needle.count].elementsEqual(needle) {
                return offset
            }
            offset += 1
        }
        return nil
    }

    func lastIndex(of text: String) -> Int? {
        var found: Int?
        var from = 0
        while let index = firstIndex(of: text, from: from) {
            found = index
            from = index + 1
        }
        return found
    }

    func occurrences(of text: String) -> Int {
        var count = 0
        var from = 0
        while let index = firstIndex(of: text, from: from) {
            count += 1
            from = index + 1
        }
        return count
    }

    /// The text from `offset` to the next line feed.
    func line(at offset: Int) -> String {
        guard offset < bytes.count else { return "" }
        return String(decoding: bytes[offset...].prefix { $0 != 10 }, as: UTF8.self)
    }
}
