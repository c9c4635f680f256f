import Foundation
import Testing

@testable import Documents

@Suite("PDF writer")
struct PDFWriterTests {
    static func sample() -> PDFWriter {
        var writer = PDFWriter(title: "Sample")
        var first = PDFPage(size: .a4)
        first.text("Hello", x: 40, y: 800, font: .helveticaBold, size: 14)
        first.line(fromX: 40, y: 790, toX: 555, y: 790)
        first.rectangle(x: 40, y: 700, width: 100, height: 50, style: .stroke(lineWidth: 1))
        first.rectangle(x: 160, y: 700, width: 100, height: 50, style: .fill(gray: 0.5))
        writer.add(first)
        var second = PDFPage(size: .label4x6)
        second.text("Second page", x: 10, y: 400)
        writer.add(second)
        return writer
    }

    @Test("a file starts with %PDF-1.4, ends with %%EOF, and every xref offset finds its object")
    func structure() {
        let bytes = Self.sample().bytes()
        let pdf = PDFInspector(bytes)
        #expect(pdf.problems == [])
        #expect(bytes.starts(with: Array("%PDF-1.4\n".utf8)))
        #expect(Array(bytes.suffix(6)) == Array("%%EOF\n".utf8))
        #expect(pdf.pageCount == 2)
        #expect(pdf.pageObjectCount == 2)
    }

    @Test("the structure check notices a wrong xref offset and a wrong stream length")
    func structureCheckBites() {
        let good = Self.sample().bytes()
        let inspector = PDFInspector(good)
        // The first in-use xref entry (object 1, at offset 15) made to say 16.
        var offsets = good
        let entry = inspector.firstIndex(of: "0000000015 00000 n \n")!
        offsets[entry + 9] = UInt8(ascii: "6")
        #expect(PDFInspector(offsets).problems == ["object 1 not at 16"])
        // A stream's /Length off by one (the same number of digits, so no offset moves).
        var lengths = good
        let digit = inspector.firstIndex(of: "<< /Length ")! + 11
        lengths[digit] = lengths[digit] == UInt8(ascii: "9") ? UInt8(ascii: "8") : lengths[digit] + 1
        #expect(PDFInspector(lengths).problems.count == 1)
        #expect(PDFInspector(lengths).problems.first?.contains("/Length does not end at endstream") == true)
    }

    @Test("startxref gives the byte offset of the xref keyword")
    func startxref() {
        let pdf = PDFInspector(Self.sample().bytes())
        let start = pdf.lastIndex(of: "startxref\n")!
        let offset = Int(pdf.line(at: start + 10))!
        #expect(offset == pdf.lastIndex(of: "xref\n0 "))
    }

    @Test("pages keep their size in the MediaBox")
    func mediaBoxes() {
        let pdf = PDFInspector(Self.sample().bytes())
        #expect(pdf.occurrences(of: "/MediaBox [0 0 595 842]") == 1)
        #expect(pdf.occurrences(of: "/MediaBox [0 0 288 432]") == 1)
    }

    @Test("content streams are uncompressed and show the text")
    func readableText() {
        let pdf = PDFInspector(Self.sample().bytes())
        #expect(pdf.pageTexts == [["Hello"], ["Second page"]])
        #expect(String(decoding: pdf.contentStreams[0], as: UTF8.self).contains("/F2 14 Tf 1 0 0 1 40 800 Tm (Hello) Tj"))
    }

    @Test("a writer without pages still makes a valid file, of one blank page")
    func noPages() {
        let pdf = PDFInspector(PDFWriter().bytes())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount == 1)
    }

    @Test("the same pages give the same bytes, and no date unless given")
    func deterministic() {
        #expect(Self.sample().bytes() == Self.sample().bytes())
        let text = String(decoding: Self.sample().bytes(), as: UTF8.self)
        #expect(!text.contains("/CreationDate"))
        var dated = Self.sample()
        dated.creationDate = Date(timeIntervalSince1970: 1_795_341_600)
        #expect(String(decoding: dated.bytes(), as: UTF8.self).contains("/CreationDate (D:20261122100000Z)"))
    }

    @Test("parentheses and backslashes are escaped, and the string reads back whole")
    func escaping() {
        var page = PDFPage(size: .a4)
        let name = #"Smith (Jr.) \ Sons) of ("Tea"#
        page.text(name, x: 10, y: 10)
        let stream = String(decoding: page.content, as: UTF8.self)
        #expect(stream.contains(#"(Smith \(Jr.\) \\ Sons\) of \("Tea) Tj"#))
        let strings = PDFInspector.literalStrings(in: page.content)
        #expect(strings.count == 1)
        #expect(strings.first.flatMap { $0.map(PDFInspector.latin1) } == name)
    }

    @Test("characters outside WinAnsi become ?, so a non-Latin name does not break the file")
    func nonLatin() {
        var writer = PDFWriter(title: "Ωmega")
        var page = PDFPage(size: .a4)
        page.text("Ωmega 東京 🎁", x: 10, y: 10)
        writer.add(page)
        let pdf = PDFInspector(writer.bytes())
        #expect(pdf.problems == [])
        #expect(pdf.allText == "?mega ?? ?")
        // The title is a UTF-16 text string, so it keeps the omega.
        #expect(String(decoding: writer.bytes(), as: UTF8.self).contains("/Title <FEFF03A9006D006500670061>"))
    }

    @Test("Latin letters and WinAnsi punctuation are kept, written as octal escapes")
    func winAnsi() {
        var page = PDFPage(size: .a4)
        page.text("Zoë Müller – 5 €", x: 10, y: 10)
        let stream = String(decoding: page.content, as: UTF8.self)
        #expect(stream.contains(#"(Zo\353 M\374ller \226 5 \200) Tj"#))
        #expect(page.content.allSatisfy { $0 < 128 })
        // "e" followed by a combining diaeresis is the same "ë".
        #expect(WinAnsi.encode("Zoe\u{0308}") == WinAnsi.encode("Zoë"))
        #expect(WinAnsi.encode("a\tb\r\nc") == Array("a b c".utf8))
    }

    @Test("numbers are plain decimals with at most three fraction digits")
    func numbers() {
        #expect(PDFNumber.format(0) == "0")
        #expect(PDFNumber.format(-0.0001) == "0")
        #expect(PDFNumber.format(12.5) == "12.5")
        #expect(PDFNumber.format(0.1 + 0.2) == "0.3")
        #expect(PDFNumber.format(1.0005) == "1.001")
        #expect(PDFNumber.format(-3.25) == "-3.25")
        #expect(PDFNumber.format(1e30) == "1000000000000")
        #expect(PDFNumber.format(.nan) == "0")
    }

    @Test("Helvetica widths: known words measure as the font metrics say")
    func widths() {
        // H 722 + e 556 + l 222 + l 222 + o 556 = 2278 units.
        #expect(PDFFont.helvetica.width(of: "Hello", size: 10) == 22.78)
        // Bold: 722 + 556 + 278 + 278 + 611 = 2445.
        #expect(PDFFont.helveticaBold.width(of: "Hello", size: 10) == 24.45)
        #expect(PDFFont.helvetica.width(of: "é", size: 1) == PDFFont.helvetica.width(of: "e", size: 1))
    }

    @Test("text wraps at spaces and truncates with an ellipsis")
    func layout() {
        let lines = TextLayout.wrap("one two three four five six", font: .helvetica, size: 10, width: 60)
        #expect(lines.count > 1)
        #expect(lines.joined(separator: " ") == "one two three four five six")
        #expect(lines.allSatisfy { PDFFont.helvetica.width(of: $0, size: 10) <= 60 })
        let cut = TextLayout.truncate(String(repeating: "W", count: 100), font: .helvetica, size: 10, width: 50)
        #expect(cut.hasSuffix("…"))
        #expect(PDFFont.helvetica.width(of: cut, size: 10) <= 50)
        #expect(TextLayout.wrap("", font: .helvetica, size: 10, width: 50) == [""])
    }
}
