import Foundation

/// A minimal PDF 1.4 file: pages of text, lines, rectangles and barcodes in
/// Helvetica and Helvetica-Bold (WinAnsiEncoding, not embedded), content
/// streams uncompressed, a classic cross-reference table. The same pages,
/// title and date always give the same bytes: nothing is taken from the clock.
///
/// Objects: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the document
/// information, then each page followed by its content stream.
public struct PDFWriter: Sendable, Hashable {
    public var title: String?
    /// Written as /CreationDate only when given.
    public var creationDate: Date?
    public private(set) var pages: [PDFPage] = []

    public init(title: String? = nil, creationDate: Date? = nil) {
        self.title = title
        self.creationDate = creationDate
    }

    public mutating func add(_ page: PDFPage) {
        pages.append(page)
    }

    /// The file. With no page added it holds one blank A4 page, since a
    /// document without pages is one readers refuse.
    public func bytes() -> [UInt8] {
        let pages = pages.isEmpty ? [PDFPage(size: .a4)] : pages
        let fixedObjects = 5
        let pageObject = { (index: Int) in fixedObjects + 1 + 2 * index }

        var file = Output()
        // The comment of four bytes above 127 tells transfer tools the file is binary.
        file.write("%PDF-1.4\n%")
        file.write([0xE2, 0xE3, 0xCF, 0xD3])
        file.write("\n")

        var offsets: [Int] = []
        func object(_ body: [UInt8]) {
            offsets.append(file.bytes.count)
            file.write("\(offsets.count) 0 obj\n")
            file.write(body)
            file.write("\nendobj\n")
        }
        func object(_ body: String) { object(Array(body.utf8)) }

        let kids = pages.indices.map { "\(pageObject($0)) 0 R" }.joined(separator: " ")
        object("<< /Type /Catalog /Pages 2 0 R >>")
        object("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        for font in [PDFFont.helvetica, .helveticaBold] {
            object("<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding >>")
        }
        object(information())
        let fonts = [PDFFont.helvetica, .helveticaBold]
            .map { "/\($0.resourceName) \(fontObject($0)) 0 R" }.joined(separator: " ")
        for (index, page) in pages.enumerated() {
            let box = "[0 0 \(PDFNumber.format(page.width)) \(PDFNumber.format(page.height))]"
            object("<< /Type /Page /Parent 2 0 R /MediaBox \(box) /Resources << /Font << \(fonts) >> >> "
                + "/Contents \(pageObject(index) + 1) 0 R >>")
            object(Array("<< /Length \(page.content.count) >>\nstream\n".utf8) + page.content
                + Array("\nendstream".utf8))
        }

        let xref = file.bytes.count
        file.write("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n")
        for offset in offsets {
            let digits = String(offset)
            // Each entry is exactly 20 bytes: 10-digit offset, generation, "n", space, LF.
            file.write(String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n")
        }
        file.write("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 5 0 R >>\n")
        file.write("startxref\n\(xref)\n%%EOF\n")
        return file.bytes
    }

    private func fontObject(_ font: PDFFont) -> Int {
        font == .helvetica ? 3 : 4
    }

    private func information() -> [UInt8] {
        var dictionary = Array("<< /Producer (oms Documents)".utf8)
        if let title {
            dictionary += Array(" /Title ".utf8) + Self.textString(title)
        }
        if let creationDate {
            dictionary += Array(" /CreationDate (D:\(Self.dateDigits(creationDate))Z)".utf8)
        }
        return dictionary + Array(" >>".utf8)
    }

    /// A text string outside page content (PDF 1.4 §3.8.1): printable ASCII as
    /// a literal, anything else as UTF-16BE with a byte order mark, in hex.
    static func textString(_ text: String) -> [UInt8] {
        if text.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            return WinAnsi.literal(text)
        }
        let hex = Array("0123456789ABCDEF".utf8)
        var out = Array("<FEFF".utf8)
        for unit in text.utf16 {
            for shift in [12, 8, 4, 0] { out.append(hex[Int((unit >> UInt16(shift)) & 0xF)]) }
        }
        return out + Array(">".utf8)
    }

    /// YYYYMMDDHHmmSS in UTC.
    static func dateDigits(_ date: Date) -> String {
        let parts = DocumentFormat.utcComponents(date)
        return DocumentFormat.pad(parts.year, 4) + DocumentFormat.pad(parts.month, 2)
            + DocumentFormat.pad(parts.day, 2) + DocumentFormat.pad(parts.hour, 2)
            + DocumentFormat.pad(parts.minute, 2) + DocumentFormat.pad(parts.second, 2)
    }

    private struct Output {
        var bytes: [UInt8] = []
        mutating func write(_ text: String) { bytes += Array(text.utf8) }
        mutating func write(_ data: [UInt8]) { bytes += data }
    }
}
