/// A table drawn top-down: a shaded header row, then rows whose cells wrap
/// or truncate to their column. Rows split across pages; a row taller than
/// `maxLines` lines is cut into several rows so that one always fits a page.
struct Table {
    struct Column {
        var title: String
        var width: Double
        var alignment: PDFPage.TextAlignment = .left
        var font: PDFFont = .helvetica
        /// Wrap onto more lines; otherwise truncate with "…".
        var wraps = false
    }

    /// A laid-out row: each cell's lines.
    struct Row {
        var cells: [[String]]
    }

    var columns: [Column]
    var fontSize: Double
    var maxLines = 40
    var padding = 3.0

    var lineHeight: Double { fontSize * 1.2 }
    var width: Double { columns.reduce(0) { $0 + $1.width } }
    var headerHeight: Double { lineHeight + 2 * padding }

    func height(of row: Row) -> Double {
        Double(row.cells.map(\.count).max() ?? 1) * lineHeight + 2 * padding
    }

    func layout(_ rows: [[String]]) -> [Row] {
        rows.flatMap { cells -> [Row] in
            let lines = zip(columns, cells).map { column, text in
                let inner = column.width - 2 * padding
                return column.wraps
                    ? TextLayout.wrap(text, font: column.font, size: fontSize, width: inner)
                    : [TextLayout.truncate(text, font: column.font, size: fontSize, width: inner)]
            }
            let tallest = lines.map(\.count).max() ?? 1
            return stride(from: 0, to: tallest, by: maxLines).map { first in
                Row(cells: lines.map { Array($0.dropFirst(first).prefix(maxLines)) })
            }
        }
    }

    /// How many of `rows`, from `start`, fit with the header in `available`
    /// points; at least one, so that pagination always moves on.
    func fitting(_ rows: [Row], from start: Int, in available: Double) -> Int {
        var used = headerHeight
        var count = 0
        for row in rows[start...] {
            used += height(of: row)
            guard used <= available || count == 0 else { break }
            count += 1
        }
        return count
    }

    /// Rows split into pages: the first page has `first` points for the table,
    /// every following page `other`. No rows is one page with the header only.
    func paginate(_ rows: [Row], first: Double, other: Double) -> [Range<Int>] {
        var pages: [Range<Int>] = []
        var start = 0
        repeat {
            let count = fitting(rows, from: start, in: pages.isEmpty ? first : other)
            pages.append(start..<start + count)
            start += count
        } while start < rows.count
        return pages
    }

    /// Draws the header and `rows` with the table's top-left corner at (`x`,
    /// `top`); returns the y of the bottom edge.
    @discardableResult
    func draw(_ rows: ArraySlice<Row>, on page: inout PDFPage, x: Double, top: Double) -> Double {
        page.rectangle(x: x, y: top - headerHeight, width: width, height: headerHeight, style: .fill(gray: 0.88))
        drawCells(columns.map { [$0.title] }, fonts: columns.map { _ in .helveticaBold }, on: &page, x: x, top: top)
        var y = top - headerHeight
        for row in rows {
            drawCells(row.cells, fonts: columns.map(\.font), on: &page, x: x, top: y)
            y -= height(of: row)
            page.line(fromX: x, y: y, toX: x + width, y: y, width: 0.3)
        }
        return y
    }

    private func drawCells(_ cells: [[String]], fonts: [PDFFont], on page: inout PDFPage, x: Double, top: Double) {
        var left = x
        for (index, column) in columns.enumerated() {
            let anchor = switch column.alignment {
            case .left: left + padding
            case .right: left + column.width - padding
            case .center: left + column.width / 2
            }
            // The baseline sits about 0.8 em below the top of each line.
            for (number, text) in cells[index].enumerated() {
                let baseline = top - padding - Double(number) * lineHeight - fontSize * 0.85
                page.text(text, x: anchor, y: baseline, font: fonts[index], size: fontSize, alignment: column.alignment)
            }
            left += column.width
        }
    }
}
