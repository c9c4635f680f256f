import Foundation
import Fulfilment
import OMSDomain

/// The label oms-ship prints for one package: a 4 x 6 inch page with sender,
/// recipient, carrier and service, weight, package number, order reference
/// and the tracking number as text and as a Code 128 barcode. A shipment that
/// crosses a customs border also carries its CN 22 customs declaration,
/// below the barcode when it fits, otherwise on following pages.
public struct ShippingLabel: Sendable, Hashable {
    /// The warehouse the package leaves from.
    public var from: PostalAddress
    public var order: Order
    public var carrier: String
    public var service: Order.Shipping.Service
    /// Gross weight of the package, packaging included.
    public var weightGrams: Int
    public var trackingNumber: String
    public var packageNumber: Int
    public var packageCount: Int
    /// Printed when given; nothing on the label comes from the clock.
    public var shipDate: Date?
    /// The declaration to print, when the parcel crosses a customs border
    /// (`CustomsDeclaration.make` decides); the label does not decide again.
    public var customs: CustomsDeclaration?

    public init(from: PostalAddress, order: Order, carrier: String, service: Order.Shipping.Service,
                weightGrams: Int, trackingNumber: String, packageNumber: Int = 1, packageCount: Int = 1,
                shipDate: Date? = nil, customs: CustomsDeclaration? = nil) {
        self.from = from
        self.order = order
        self.carrier = carrier
        self.service = service
        self.weightGrams = weightGrams
        self.trackingNumber = trackingNumber
        self.packageNumber = packageNumber
        self.packageCount = packageCount
        self.shipDate = shipDate
        self.customs = customs
    }

    public var to: PostalAddress {
        PostalAddress(customer: order.customer, address: order.shippingAddress)
    }

    /// The PDF: one page, or more when the customs declaration needs them.
    public func pdf() throws(DocumentError) -> [UInt8] {
        let code: Code128
        do { code = try Code128(trackingNumber) } catch { throw .trackingNumber(error) }

        var first = PDFPage(size: .label4x6)
        var y = drawHeader(on: &first)
        y = drawShipTo(on: &first, top: y)
        y = drawDetails(on: &first, top: y)
        y = drawBarcode(code, on: &first, top: y)

        var pages = [first]
        if let customs {
            pages = CustomsBlock(label: self, declaration: customs).draw(onLabel: first, below: y)
        }
        if pages.count > 1 {
            for index in pages.indices {
                pages[index].text("page \(index + 1) of \(pages.count)", x: Layout.right, y: Layout.bottom - 6,
                                  size: 6, alignment: .right)
            }
        }
        var writer = PDFWriter(title: "Shipping label \(order.id)", creationDate: shipDate)
        for page in pages { writer.add(page) }
        return writer.bytes()
    }

    /// Label geometry, in points.
    enum Layout {
        static let margin = 10.0
        static let left = margin
        static let right = PDFPageSize.label4x6.width - margin
        static let width = right - left
        static let top = PDFPageSize.label4x6.height - margin
        /// Room below for "page 1 of 2".
        static let bottom = margin + 8
    }

    /// Sender on the left, carrier and service on the right; returns the y below.
    private func drawHeader(on page: inout PDFPage) -> Double {
        var y = Layout.top
        page.text("FROM", x: Layout.left, y: y - 6, font: .helveticaBold, size: 6)
        y -= 15
        let senderWidth = 150.0
        page.text(TextLayout.truncate(from.name, font: .helveticaBold, size: 8, width: senderWidth),
                  x: Layout.left, y: y, font: .helveticaBold, size: 8)
        for line in from.streetAndCity + [from.country.uppercased()] {
            y -= 9
            page.text(TextLayout.truncate(line, font: .helvetica, size: 7.5, width: senderWidth),
                      x: Layout.left, y: y, size: 7.5)
        }

        let carrierWidth = Layout.width - senderWidth - 10
        page.text(TextLayout.truncate(carrier, font: .helveticaBold, size: 14, width: carrierWidth),
                  x: Layout.right, y: Layout.top - 13, font: .helveticaBold, size: 14, alignment: .right)
        let serviceText = service.rawValue.uppercased()
        let boxWidth = PDFFont.helveticaBold.width(of: serviceText, size: 11) + 12
        let boxTop = Layout.top - 20
        page.rectangle(x: Layout.right - boxWidth, y: boxTop - 17, width: boxWidth, height: 17,
                       style: .stroke(lineWidth: 1.5))
        page.text(serviceText, x: Layout.right - boxWidth / 2, y: boxTop - 12.5, font: .helveticaBold, size: 11,
                  alignment: .center)

        y = min(y, boxTop - 17) - 6
        page.line(fromX: Layout.left, y: y, toX: Layout.right, y: y, width: 1)
        return y
    }

    private func drawShipTo(on page: inout PDFPage, top: Double) -> Double {
        let to = to
        var y = top - 10
        page.text("SHIP TO", x: Layout.left, y: y, font: .helveticaBold, size: 7)
        y -= 15
        page.text(TextLayout.truncate(to.name, font: .helveticaBold, size: 13, width: Layout.width),
                  x: Layout.left, y: y, font: .helveticaBold, size: 13)
        for line in to.streetAndCity {
            y -= 13
            page.text(TextLayout.truncate(line, font: .helvetica, size: 11, width: Layout.width),
                      x: Layout.left, y: y, size: 11)
        }
        y -= 17
        page.text(to.country.uppercased(), x: Layout.left, y: y, font: .helveticaBold, size: 15)
        if let phone = order.customer.phone {
            page.text("Tel. \(phone)", x: Layout.right, y: y, size: 8, alignment: .right)
        }
        y -= 8
        page.line(fromX: Layout.left, y: y, toX: Layout.right, y: y, width: 1)
        return y
    }

    /// Weight, package, ship date, order id and external id.
    private func drawDetails(on page: inout PDFPage, top: Double) -> Double {
        var y = top - 11
        field("WEIGHT", DocumentFormat.kilograms(weightGrams), x: Layout.left, y: y, on: &page)
        field("PACKAGE", "\(packageNumber) of \(packageCount)", x: Layout.left + 100, y: y, on: &page)
        if let shipDate {
            field("DATE", DocumentFormat.date(shipDate), x: Layout.left + 180, y: y, on: &page)
        }
        y -= 11
        field("ORDER", order.id, x: Layout.left, y: y, width: 130, on: &page)
        if let externalID = order.externalID {
            field("REF", externalID, x: Layout.left + 140, y: y, width: Layout.width - 140, on: &page)
        }
        y -= 6
        page.line(fromX: Layout.left, y: y, toX: Layout.right, y: y, width: 1)
        return y
    }

    private func field(_ name: String, _ value: String, x: Double, y: Double, width: Double = 100,
                       on page: inout PDFPage) {
        page.text(name, x: x, y: y, font: .helveticaBold, size: 6.5)
        let offset = PDFFont.helveticaBold.width(of: name, size: 6.5) + 3
        page.text(TextLayout.truncate(value, font: .helvetica, size: 8.5, width: width - offset),
                  x: x + offset, y: y, size: 8.5)
    }

    /// The barcode as wide as the label allows (at most 1.2 pt a module), its
    /// quiet zones inside the margins, the number in words below.
    private func drawBarcode(_ code: Code128, on page: inout PDFPage, top: Double) -> Double {
        let height = 56.0
        let modules = Double(code.moduleCount + 2 * Code128.quietZoneModules)
        let moduleWidth = min(1.2, Layout.width / modules)
        let barsWidth = Double(code.moduleCount) * moduleWidth
        var y = top - 8 - height
        page.barcode(code, x: (PDFPageSize.label4x6.width - barsWidth) / 2, y: y, moduleWidth: moduleWidth,
                     height: height)
        y -= 12
        page.text("TRACKING # \(trackingNumber)", x: PDFPageSize.label4x6.width / 2, y: y, font: .helveticaBold,
                  size: 10, alignment: .center)
        y -= 7
        page.line(fromX: Layout.left, y: y, toX: Layout.right, y: y, width: 1)
        return y
    }
}
