import Foundation

/// Output helpers: JSON for `--json`, aligned columns for people.
public enum Output {
    public static func json(_ value: Any) {
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: options) else {
            print("null")
            return
        }
        print(String(decoding: data, as: UTF8.self))
    }

    /// Columns padded to their widest cell; the last column is not padded.
    public static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        var widths = header.map(\.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            print(line)
        }
    }

    public static let localTime: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss ZZZZZ"
        return formatter
    }()

    public static func local(_ date: Date) -> String { localTime.string(from: date) }
}

extension Array {
    public func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
