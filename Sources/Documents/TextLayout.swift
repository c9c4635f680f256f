/// Fitting text into a width: truncation with an ellipsis, and word wrapping.
enum TextLayout {
    /// `text`, shortened with "…" if it is wider than `width`.
    static func truncate(_ text: String, font: PDFFont, size: Double, width: Double) -> String {
        guard font.width(of: text, size: size) > width else { return text }
        // No glyph is narrower than 0.191 em ("'"), which bounds how much can fit.
        var kept = Substring(text).prefix(Int(width / (size * 0.191)) + 1)
        while !kept.isEmpty, font.width(of: kept + "…", size: size) > width {
            kept = kept.dropLast()
        }
        return kept.isEmpty ? "" : kept + "…"
    }

    /// Lines no wider than `width`, broken at spaces, or inside a word
    /// that is wider than a line by itself. An empty text is one empty line.
    static func wrap(_ text: String, font: PDFFont, size: Double, width: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        func fits(_ candidate: String) -> Bool { font.width(of: candidate, size: size) <= width }
        // A no-break space (U+00A0) holds its neighbours together.
        for word in text.split(whereSeparator: { $0.isWhitespace && $0 != "\u{00A0}" }).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if fits(candidate) {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            for character in word {
                if fits(current + String(character)) || current.isEmpty {
                    current.append(character)
                } else {
                    lines.append(current)
                    current = String(character)
                }
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
