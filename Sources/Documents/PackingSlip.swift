import Foundation
import OMSDomain

/// The slip oms-pick puts in an order's box: an A4 page (more for long
/// orders) with the order id, external id, channel, date, the ship-to
/// address, and each line's SKU, name, quantity and, when known, bin.
public struct PackingSlip: Sendable, Hashable {
    public var order: Order
    /// The packing date printed on the slip.
    public var date: Date
    /// Bin location by SKU. The Location column appears when any line has one.
    public var locations: [String: String]
    /// Which box of a split order this is ("2 of 3, from BER"); nil for an order in one.
    public var parcel: String?

    public init(order: Order, date: Date, locations: [String: String] = [:], parcel: String? = nil) {
        self.order = order
        self.date = date
        self.locations = locations
        self.parcel = parcel
    }

    /// Units across all lines.
    public var itemCount: Int {
        order.lines.reduce(0) { $0 + $1.quantity }
    }

    public func pdf() -> [UInt8] {
        typealias Frame = A4Document
        var first = PDFPage(size: .a4)
        first.text("PACKING SLIP", x: Frame.left, y: Frame.top - 18, font: .helveticaBold, size: 20)

        // Order facts on the right.
        var facts = [("Order", order.id)]
        if let externalID = order.externalID { facts.append(("Reference", externalID)) }
        facts += [("Channel", order.channel), ("Date", DocumentFormat.date(date))]
        if let parcel { facts.append(("Parcel", parcel)) }
        var factY = Frame.top - 10
        for (name, value) in facts {
            first.text(name, x: Frame.right - 200, y: factY, font: .helveticaBold, size: 9)
            first.text(TextLayout.truncate(value, font: .helvetica, size: 10, width: 140), x: Frame.right - 140,
                       y: factY, size: 10)
            factY -= 14
        }

        // Ship-to on the left.
        let to = PostalAddress(customer: order.customer, address: order.shippingAddress)
        var y = Frame.top - 48
        first.text("SHIP TO", x: Frame.left, y: y, font: .helveticaBold, size: 8)
        y -= 14
        first.text(TextLayout.truncate(to.name, font: .helveticaBold, size: 11, width: 300), x: Frame.left, y: y,
                   font: .helveticaBold, size: 11)
        for line in to.streetAndCity + [to.country.uppercased()] {
            y -= 13
            first.text(TextLayout.truncate(line, font: .helvetica, size: 10, width: 300), x: Frame.left, y: y,
                       size: 10)
        }
        y = min(y, factY) - 20

        let showLocations = order.lines.contains { locations[$0.sku] != nil }
        var columns: [Table.Column] = [
            .init(title: "SKU", width: 120, wraps: true),
            .init(title: "Item", width: showLocations ? 255 : 345, wraps: true),
        ]
        if showLocations { columns.append(.init(title: "Location", width: 90, wraps: true)) }
        columns.append(.init(title: "Qty", width: 50, alignment: .right, font: .helveticaBold))
        let rows = order.lines.map { line in
            [line.sku, line.name ?? ""] + (showLocations ? [locations[line.sku] ?? ""] : []) + [String(line.quantity)]
        }

        let document = A4Document(
            table: Table(columns: columns, fontSize: 10), rows: rows,
            caption: "Packing slip \(order.id) (continued)", footer: "Order \(order.id)", trailerHeight: 40)
        let pages = document.pages(first: first, top: y) { page, y in
            let lines = order.lines.count
            page.text("Total items \(itemCount)", x: Frame.right - 3, y: y - 18, font: .helveticaBold, size: 11,
                      alignment: .right)
            page.text("\(lines) \(lines == 1 ? "line" : "lines")", x: Frame.right - 3, y: y - 32, size: 9,
                      alignment: .right)
        }
        var writer = PDFWriter(title: "Packing slip \(order.id)", creationDate: date)
        for page in pages { writer.add(page) }
        return writer.bytes()
    }
}
