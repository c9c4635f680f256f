/// A page's size in PDF points (1/72 inch).
public struct PDFPageSize: Sendable, Hashable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// ISO A4 portrait, 210 x 297 mm: packing slips and picklists.
    public static let a4 = PDFPageSize(width: 595, height: 842)
    /// A 4 x 6 inch thermal label, portrait: shipping labels.
    public static let label4x6 = PDFPageSize(width: 288, height: 432)
}
