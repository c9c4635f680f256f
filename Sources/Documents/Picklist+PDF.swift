extension Picklist {
    /// A4, one table row per entry: location, SKU, total quantity, and the
    /// orders it is split between ("web-100234 × 2"); as many pages as
    /// needed, each numbered "page 1 of 2".
    public func pdf() -> [UInt8] {
        typealias Frame = A4Document
        var first = PDFPage(size: .a4)
        first.text("PICKLIST", x: Frame.left, y: Frame.top - 18, font: .helveticaBold, size: 20)
        first.text(TextLayout.truncate(id, font: .helveticaBold, size: 14, width: 300), x: Frame.right,
                   y: Frame.top - 18, font: .helveticaBold, size: 14, alignment: .right)
        first.text("Created \(DocumentFormat.dateTime(createdAt))", x: Frame.left, y: Frame.top - 38, size: 10)
        let skus = entries.count
        let summary = "\(skus) \(skus == 1 ? "SKU" : "SKUs") · \(unitCount) \(unitCount == 1 ? "unit" : "units")"
            + " · \(orderCount) \(orderCount == 1 ? "order" : "orders")"
        first.text(summary, x: Frame.right, y: Frame.top - 38, size: 10, alignment: .right)

        let table = Table(columns: [
            .init(title: "Location", width: 90, font: .helveticaBold, wraps: true),
            .init(title: "SKU", width: 130, wraps: true),
            .init(title: "Qty", width: 45, alignment: .right, font: .helveticaBold),
            .init(title: "Orders", width: 250, wraps: true),
        ], fontSize: 10)
        let rows = entries.map { entry in
            // No-break spaces keep "id × n" on one line.
            let orders = entry.orders.map { "\($0.orderID)\u{00A0}×\u{00A0}\($0.quantity)" }.joined(separator: ", ")
            return [entry.location ?? "", entry.sku, String(entry.quantity), orders]
        }
        let document = A4Document(table: table, rows: rows, caption: "Picklist \(id) (continued)",
                                  footer: "Picklist \(id)", trailerHeight: 0)
        let pages = document.pages(first: first, top: Frame.top - 56) { _, _ in }
        var writer = PDFWriter(title: "Picklist \(id)", creationDate: createdAt)
        for page in pages { writer.add(page) }
        return writer.bytes()
    }
}
