/// A Code 128 barcode in code set B (ASCII 32–127), as carriers print
/// tracking numbers: start B, one symbol per character, the check symbol, stop.
///
/// Each symbol is 11 modules wide in three bars and three spaces; the stop is
/// 13 modules (four bars, three spaces). The check symbol is the start value
/// plus each data value times its position (1, 2, …), modulo 103.
public struct Code128: Sendable, Hashable {
    public enum EncodingError: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        /// Code set B has ASCII 32–127 only.
        case unsupportedCharacter(Character, offset: Int)

        public var description: String {
            switch self {
            case .empty: "a barcode needs at least one character"
            case .unsupportedCharacter(let character, let offset):
                "\"\(character)\" at offset \(offset) is not in Code 128 set B (printable ASCII only)"
            }
        }
    }

    public static let startB = 104
    public static let stop = 106
    /// Blank modules a scanner needs on either side.
    public static let quietZoneModules = 10

    public let text: String
    /// Symbol values in print order: start B, the data, the check symbol, stop.
    public let symbols: [Int]

    public init(_ text: String) throws(EncodingError) {
        guard !text.isEmpty else { throw .empty }
        var values: [Int] = []
        for (offset, character) in text.enumerated() {
            guard let ascii = character.asciiValue, ascii >= 32 else {
                throw .unsupportedCharacter(character, offset: offset)
            }
            values.append(Int(ascii) - 32)
        }
        var sum = Self.startB
        for (index, value) in values.enumerated() { sum += value * (index + 1) }
        self.text = text
        self.symbols = [Self.startB] + values + [sum % 103, Self.stop]
    }

    public var checkSymbol: Int { symbols[symbols.count - 2] }

    /// Bar and space widths in modules, alternating and starting with a bar,
    /// stop pattern included.
    public var elementWidths: [Int] {
        symbols.flatMap { Self.patterns[$0].map(Int.init) }
    }

    /// 11 per symbol before the stop, 13 for the stop; quiet zones not included.
    public var moduleCount: Int { 11 * (symbols.count - 1) + 13 }

    /// Element widths of symbols 0–106 (106 is the stop), bar first.
    static let patterns: [[UInt8]] = """
        212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 \
        221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 \
        221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 \
        212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 \
        231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 \
        231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 \
        314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 \
        112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 \
        111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 \
        214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 \
        114131 311141 411131 211412 211214 211232 2331112
        """.split(separator: " ").map { $0.utf8.map { $0 - UInt8(ascii: "0") } }
}
