import Foundation

/// A horizontal bar chart as SVG text, drawn on the server: one bar per
/// label, lengths proportional to the largest value, the value written at
/// the end of each bar. Labels are XML-escaped.
struct BarChart {
    struct Bar: Equatable {
        var label: String
        var value: Double
        /// What is written beside the bar ("42", "12.4 s").
        var text: String
    }

    var title: String
    var bars: [Bar]

    static let width = 640.0
    static let labelWidth = 150.0
    static let barHeight = 20.0
    static let gap = 6.0
    static let barRoom = width - labelWidth - 80

    /// The length of each bar, in the order of `bars`.
    var lengths: [Double] {
        let largest = bars.map(\.value).max() ?? 0
        return bars.map { largest > 0 ? ($0.value / largest * Self.barRoom).rounded() : 0 }
    }

    var svg: String {
        let height = 30 + Double(bars.count) * (Self.barHeight + Self.gap)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" width="\(Int(Self.width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(height))" font-family="system-ui, sans-serif" font-size="13">\
            <title>\(Self.escape(title))</title>\
            <text x="0" y="16" font-weight="600">\(Self.escape(title))</text>
            """
        for (index, (bar, length)) in zip(bars, lengths).enumerated() {
            let y = 30 + Double(index) * (Self.barHeight + Self.gap)
            let middle = Int(y + Self.barHeight / 2 + 4)
            svg += "<text x=\"\(Int(Self.labelWidth - 8))\" y=\"\(middle)\" text-anchor=\"end\">\(Self.escape(bar.label))</text>"
            svg += "<rect x=\"\(Int(Self.labelWidth))\" y=\"\(Int(y))\" width=\"\(Int(length))\" height=\"\(Int(Self.barHeight))\" fill=\"#3b6ea8\"/>"
            svg += "<text x=\"\(Int(Self.labelWidth + length + 6))\" y=\"\(middle)\">\(Self.escape(bar.text))</text>"
        }
        return svg + "</svg>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
