import Fulfilment
import OMSDomain

/// The CN 22 block of an international shipping label, printing the
/// declaration oms-ship made: per line its description, quantity, net
/// weight, value, HS tariff code and country of origin; total value and
/// gross weight; "Sale of goods" ticked; the sender's certification.
struct CustomsBlock {
    typealias Layout = ShippingLabel.Layout

    let label: ShippingLabel
    let rows: [[String]]
    let totalValue: Money

    init(label: ShippingLabel, declaration: CustomsDeclaration) {
        self.label = label
        rows = declaration.lines.map { line in
            [line.description, String(line.quantity), DocumentFormat.kilogramDigits(line.netWeightGrams),
             line.value.description, line.hsCode, line.originCountry]
        }
        totalValue = declaration.totalValue
    }

    static let table = Table(columns: [
        .init(title: "Description", width: 88),
        .init(title: "Qty", width: 20, alignment: .right),
        .init(title: "Net kg", width: 32, alignment: .right),
        .init(title: "Value", width: 56, alignment: .right),
        .init(title: "HS code", width: 44),
        .init(title: "Origin", width: 28),
    ], fontSize: 6.5, maxLines: 1, padding: 2)

    static let categories = ["Gift", "Documents", "Commercial sample", "Returned goods", "Sale of goods", "Other"]
    static let certification = "I, the undersigned, whose name and address are given on the item, certify that "
        + "the particulars given in this declaration are correct and that this item does not contain any "
        + "dangerous article or articles prohibited by legislation or by postal or customs regulations."
    static let headingHeight = 26.0
    static let certificationSize = 5.5

    var certificationLines: [String] {
        TextLayout.wrap(Self.certification, font: .helvetica, size: Self.certificationSize, width: Layout.width)
    }

    var footerHeight: Double {
        12 + Double(certificationLines.count) * Self.certificationSize * 1.2 + 10
    }

    /// The label's first page with the declaration below `top` if all of it
    /// fits there; otherwise with a pointer to the pages that follow, which
    /// carry the declaration, its rows split across them as needed.
    func draw(onLabel first: PDFPage, below top: Double) -> [PDFPage] {
        let table = Self.table
        let laidOut = table.layout(rows)
        let rowsHeight = laidOut.reduce(0) { $0 + table.height(of: $1) }
        var first = first
        if top - (Self.headingHeight + table.headerHeight + rowsHeight + footerHeight) >= Layout.bottom {
            let y = table.draw(laidOut[...], on: &first, x: Layout.left, top: drawHeading(on: &first, top: top))
            drawFooter(on: &first, top: y)
            return [first]
        }

        first.text("CUSTOMS DECLARATION CN 22: see the following page", x: Layout.left, y: top - 12,
                   font: .helveticaBold, size: 8)
        let captionHeight = 12.0
        let space = Layout.top - captionHeight - Layout.bottom - Self.headingHeight - footerHeight
        let ranges = table.paginate(laidOut, first: space, other: space)
        var pages = [first]
        for (index, range) in ranges.enumerated() {
            var page = PDFPage(size: .label4x6)
            page.text("Order \(label.order.id), tracking \(label.trackingNumber)", x: Layout.left,
                      y: Layout.top - 7, font: .helveticaBold, size: 7)
            let headingTop = Layout.top - captionHeight
            let y = table.draw(laidOut[range], on: &page, x: Layout.left,
                               top: drawHeading(on: &page, top: headingTop, continued: index > 0))
            if index == ranges.count - 1 { drawFooter(on: &page, top: y) }
            pages.append(page)
        }
        return pages
    }

    /// Title and categories; returns the y below them.
    private func drawHeading(on page: inout PDFPage, top: Double, continued: Bool = false) -> Double {
        var y = top - 10
        page.text("CUSTOMS DECLARATION CN 22" + (continued ? " (continued)" : ""), x: Layout.left, y: y,
                  font: .helveticaBold, size: 9)
        page.text("May be opened officially", x: Layout.right, y: y, size: 6, alignment: .right)
        y -= 11
        var x = Layout.left
        for category in Self.categories {
            page.rectangle(x: x, y: y - 0.5, width: 5.5, height: 5.5, style: .stroke(lineWidth: 0.5))
            if category == "Sale of goods" {
                page.text("X", x: x + 2.75, y: y + 0.4, font: .helveticaBold, size: 5.5, alignment: .center)
            }
            x += 7.5
            page.text(category, x: x, y: y, size: 5.5)
            x += PDFFont.helvetica.width(of: category, size: 5.5) + 7
        }
        return top - Self.headingHeight
    }

    private func drawFooter(on page: inout PDFPage, top: Double) {
        var y = top - 9
        page.text("Total value \(totalValue)", x: Layout.left, y: y, font: .helveticaBold, size: 7)
        page.text("Total gross weight \(DocumentFormat.kilograms(label.weightGrams))", x: Layout.right, y: y,
                  font: .helveticaBold, size: 7, alignment: .right)
        y -= 3
        for line in certificationLines {
            y -= Self.certificationSize * 1.2
            page.text(line, x: Layout.left, y: y, size: Self.certificationSize)
        }
        y -= 8
        let date = label.shipDate.map { DocumentFormat.date($0) + "  " } ?? ""
        page.text(TextLayout.truncate("Date and sender's signature: \(date)\(label.from.name)", font: .helvetica,
                                      size: 6, width: Layout.width),
                  x: Layout.left, y: y, size: 6)
    }
}
