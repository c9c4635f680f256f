import Foundation

/// Text into WinAnsiEncoding (PDF 1.4, Appendix D), the single-byte encoding
/// the documents declare for Helvetica. Every character becomes exactly one
/// byte; one the encoding lacks ("Ω", "東", an emoji) becomes "?", so any
/// input still gives a valid file. Whitespace it lacks (tab, line breaks, em
/// space) becomes a space; the no-break space is kept.
enum WinAnsi {
    static let replacement = UInt8(ascii: "?")

    static func encode(_ text: String) -> [UInt8] {
        // Most of a label is printable ASCII, which is WinAnsi as it is.
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return Array(text.utf8) }
        var bytes: [UInt8] = []
        // Composed form first: "e" + U+0301 is the one WinAnsi byte for "é".
        for character in text.precomposedStringWithCanonicalMapping {
            let scalars = character.unicodeScalars
            if scalars.count == 1, let scalar = scalars.first, let byte = byte(for: scalar) {
                bytes.append(byte)
            } else {
                bytes.append(character.isWhitespace ? UInt8(ascii: " ") : replacement)
            }
        }
        return bytes
    }

    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF: UInt8(scalar.value)
        default: upperHalf[scalar.value]
        }
    }

    /// A PDF literal string: "(", ")" and "\" escaped, bytes outside printable
    /// ASCII written as octal escapes, so content streams stay plain ASCII.
    static func literal(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "(")]
        for byte in encode(text) {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0x20...0x7E:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "\\"))
                for shift in [6, 3, 0] { out.append(UInt8(ascii: "0") + ((byte >> UInt8(shift)) & 7)) }
            }
        }
        out.append(UInt8(ascii: ")"))
        return out
    }

    /// 0x80–0x9F, where WinAnsi differs from Latin-1 (0x81, 0x8D, 0x8F, 0x90
    /// and 0x9D are unassigned).
    private static let upperHalf: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E,
        0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97,
        0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
