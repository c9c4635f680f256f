/// The frame of the A4 documents: a first page whose header the document
/// draws, then a table that continues on as many pages as it needs, each
/// following page headed by a caption, every page footed with
/// "<footer> · page 1 of 2", and a trailer (totals) after the last row.
struct A4Document {
    static let margin = 40.0
    static let left = margin
    static let right = PDFPageSize.a4.width - margin
    static let width = right - left
    static let top = PDFPageSize.a4.height - margin
    /// The footer line sits below this.
    static let bottom = 50.0

    var table: Table
    var rows: [[String]]
    /// Heads every page after the first.
    var caption: String
    var footer: String
    var trailerHeight: Double

    /// `first` already holds the document's header, which ends at `top`;
    /// `trailer` draws below the last row, from the y it is given.
    func pages(first: PDFPage, top: Double, trailer: (inout PDFPage, Double) -> Void) -> [PDFPage] {
        let laidOut = table.layout(rows)
        let captionHeight = 24.0
        let ranges = table.paginate(laidOut, first: top - Self.bottom - trailerHeight,
                                    other: Self.top - captionHeight - Self.bottom - trailerHeight)
        var pages: [PDFPage] = []
        for (index, range) in ranges.enumerated() {
            var page = index == 0 ? first : PDFPage(size: .a4)
            var y = top
            if index > 0 {
                page.text(caption, x: Self.left, y: Self.top - 12, font: .helveticaBold, size: 11)
                y = Self.top - captionHeight
            }
            y = table.draw(laidOut[range], on: &page, x: Self.left, top: y)
            if index == ranges.count - 1 { trailer(&page, y) }
            pages.append(page)
        }
        for index in pages.indices {
            pages[index].text("\(footer) · page \(index + 1) of \(pages.count)", x: PDFPageSize.a4.width / 2,
                              y: 28, size: 8, alignment: .center)
        }
        return pages
    }
}
