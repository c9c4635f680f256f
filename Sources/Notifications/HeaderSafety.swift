/// The checks for text that may end up in a mail header. A header ends at a
/// line break, so one inside a value would start a header of the value's
/// choosing (`Bcc:`…); any other control character is refused too.
enum HeaderSafety {
    /// A problem with `text` in words (to follow the field's path), or nil.
    static func problem(_ text: String, maxLength: Int) -> String? {
        for scalar in text.unicodeScalars {
            if isLineBreak(scalar) {
                return "contains a line break; it cannot go into an email header"
            }
            if isControl(scalar) {
                return "contains the control character \(codePoint(scalar)); it cannot go into an email header"
            }
        }
        let length = text.unicodeScalars.count
        if length > maxLength {
            return "is \(length) characters long; at most \(maxLength) can go into an email"
        }
        return nil
    }

    /// CR, LF, NEL and the Unicode line and paragraph separators: anything a
    /// mail program might take for the end of a line.
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// C0 (tab included), DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
