import Foundation

/// The two standard Type 1 fonts the documents use. Every PDF reader has them
/// built in, so nothing is embedded and files stay small.
public enum PDFFont: Sendable, Hashable, CaseIterable {
    case helvetica
    case helveticaBold

    var baseFont: String {
        switch self {
        case .helvetica: "Helvetica"
        case .helveticaBold: "Helvetica-Bold"
        }
    }

    /// The name pages use for it in their /Resources.
    var resourceName: String {
        switch self {
        case .helvetica: "F1"
        case .helveticaBold: "F2"
        }
    }

    /// Width in points of `text` set at `size`, as a reader lays it out: exact
    /// for ASCII and accented Latin letters, an upper bound for other characters.
    public func width(of text: String, size: Double) -> Double {
        let table = self == .helvetica ? Self.regularWidths : Self.boldWidths
        let units = WinAnsi.encode(text).reduce(0) { $0 + Int(table[Int($1)]) }
        return Double(units) * size / 1000
    }

    // Advance widths in 1/1000 em of the printable ASCII range 0x20–0x7E,
    // from Adobe's font metrics for the two fonts.
    private static let regularASCII: [UInt16] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // space … /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0 … ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // @ … O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P … _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // ` … o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,  // p … ~
    ]
    private static let boldASCII: [UInt16] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ]

    private static let regularWidths = table(regularASCII)
    private static let boldWidths = table(boldASCII)

    /// All 256 WinAnsi bytes: an accented Latin letter (0xC0–0xFF) as wide as
    /// its base letter, common punctuation as the metrics say, anything else
    /// a full em, so a measured line is never shorter than the one drawn.
    private static func table(_ ascii: [UInt16]) -> [UInt16] {
        var widths = [UInt16](repeating: 1000, count: 256)
        for (offset, width) in ascii.enumerated() { widths[0x20 + offset] = width }
        // Common punctuation and letters without a base letter, the wider of
        // the two fonts where they differ (quotes).
        let others: [(UInt8, UInt16)] = [
            (0xA0, 278), (0xB7, 278), (0xD7, 584), (0x80, 556), (0x96, 556), (0x97, 1000), (0x85, 1000),
            (0x95, 350), (0x91, 278), (0x92, 278), (0x93, 500), (0x94, 500), (0xA9, 737), (0xAE, 737), (0xB0, 400),
            (0xA2, 556), (0xA3, 556), (0xA5, 556), (0xA7, 556), (0xDF, 611), (0xE6, 889), (0xC6, 1000),
            (0xF8, 611), (0xD8, 778), (0x9C, 944), (0x8C, 1000),
        ]
        for (byte, width) in others { widths[Int(byte)] = width }
        for byte in 0xC0...0xFF {
            guard let scalar = Unicode.Scalar(UInt32(byte)),
                  let base = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars.first,
                  base.isASCII, base.properties.isAlphabetic
            else { continue }
            // "ì" is wider than "i" in both fonts: 278.
            widths[byte] = base == "i" ? 278 : widths[Int(base.value)]
        }
        return widths
    }
}
