/// One page and its content stream. Coordinates are PDF's own: points from
/// the bottom-left corner, y growing upwards.
public struct PDFPage: Sendable, Hashable {
    public enum TextAlignment: Sendable, Hashable {
        /// `x` is where the text starts, ends, or its middle.
        case left, right, center
    }

    public enum PaintStyle: Sendable, Hashable {
        case stroke(lineWidth: Double)
        /// 0 is black, 1 white.
        case fill(gray: Double)
    }

    public let size: PDFPageSize
    /// The page's content stream, uncompressed: PDF operators in ASCII.
    public private(set) var content: [UInt8] = []

    public init(size: PDFPageSize) {
        self.size = size
    }

    public var width: Double { size.width }
    public var height: Double { size.height }

    /// One line of text with its baseline at `y`. Characters WinAnsiEncoding
    /// lacks are printed as "?".
    public mutating func text(_ text: String, x: Double, y: Double, font: PDFFont = .helvetica, size: Double = 10,
                              alignment: TextAlignment = .left) {
        guard !text.isEmpty else { return }
        let start = switch alignment {
        case .left: x
        case .right: x - font.width(of: text, size: size)
        case .center: x - font.width(of: text, size: size) / 2
        }
        emit("BT /\(font.resourceName) \(number(size)) Tf 1 0 0 1 \(number(start)) \(number(y)) Tm ")
        content += WinAnsi.literal(text)
        emit(" Tj ET\n")
    }

    public mutating func line(fromX x1: Double, y y1: Double, toX x2: Double, y y2: Double, width: Double = 0.5) {
        emit("q \(number(width)) w \(number(x1)) \(number(y1)) m \(number(x2)) \(number(y2)) l S Q\n")
    }

    /// A rectangle whose lower-left corner is at (`x`, `y`).
    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double, style: PaintStyle) {
        let path = "\(number(x)) \(number(y)) \(number(width)) \(number(height)) re"
        switch style {
        case .stroke(let lineWidth): emit("q \(number(lineWidth)) w \(path) S Q\n")
        case .fill(let gray): emit("q \(number(gray)) g \(path) f Q\n")
        }
    }

    /// The bars of `code` as black rectangles, the first bar at `x` (leave
    /// `Code128.quietZoneModules` of blank space either side), bottom at `y`.
    public mutating func barcode(_ code: Code128, x: Double, y: Double, moduleWidth: Double, height: Double) {
        emit("q 0 g\n")
        var module = 0
        for (index, width) in code.elementWidths.enumerated() {
            if index % 2 == 0 {
                // Both edges from the module count, so rounding never accumulates.
                let left = x + Double(module) * moduleWidth
                let right = x + Double(module + width) * moduleWidth
                emit("\(number(left)) \(number(y)) \(number(right - left)) \(number(height)) re\n")
            }
            module += width
        }
        emit("f Q\n")
    }

    private mutating func emit(_ text: String) {
        content += Array(text.utf8)
    }

    private func number(_ value: Double) -> String {
        PDFNumber.format(value)
    }
}
