import Foundation

/// One order read from an input file, not yet validated: its bytes as they
/// will be published, where it came from, and its id when it has one.
struct InputRecord {
    var source: String
    var line: Int
    var body: [UInt8]
    var id: String?
    /// CSV only: the line of each line item (index of `lines[]`), so an issue
    /// with `lines[1].quantity` points at the row it came from.
    var itemLines: [Int] = []
    /// CSV only: the column an issue path came from, when there is one.
    var csv: Bool = false

    /// `file:line` of an issue at `path` (`lines[1].quantity`).
    func location(of path: String) -> String {
        guard csv, path.hasPrefix("lines["), let close = path.firstIndex(of: "]"),
              let index = Int(path[path.index(path.startIndex, offsetBy: 6)..<close]),
              itemLines.indices.contains(index) else { return "\(source):\(line)" }
        return "\(source):\(itemLines[index])"
    }
}

/// A record that could not even be read (broken JSON, a CSV row of the wrong shape).
struct InputProblem {
    var source: String
    var line: Int
    var message: String
}

enum InputFormat: String, CaseIterable {
    case auto, json, jsonl, csv
}

/// Reads orders as JSON (one object or an array), JSON Lines or CSV.
enum OrderInput {
    static func read(_ bytes: [UInt8], source: String, format: InputFormat, channel: String?)
        -> (records: [InputRecord], problems: [InputProblem]) {
        let detected = format == .auto ? detect(bytes, source: source) : format
        var result: (records: [InputRecord], problems: [InputProblem])
        switch detected {
        case .csv: result = OrderCSV.read(bytes, source: source)
        case .jsonl: result = readJSONLines(bytes, source: source)
        default: result = readJSON(bytes, source: source)
        }
        if let channel {
            result.records = result.records.map { record in
                var record = record
                record.body = tagChannel(record.body, channel: channel)
                return record
            }
        }
        return result
    }

    static func detect(_ bytes: [UInt8], source: String) -> InputFormat {
        let lower = source.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".json") { return .json }
        guard let first = bytes.first(where: { !isSpace($0) }) else { return .json }
        if first == UInt8(ascii: "[") { return .json }
        if first == UInt8(ascii: "{") {
            return (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil ? .json : .jsonl
        }
        return .csv
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// One object, or an array of them; each element keeps its own bytes and
    /// the line it starts on.
    static func readJSON(_ bytes: [UInt8], source: String) -> (records: [InputRecord], problems: [InputProblem]) {
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return ([], []) }
        guard (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil else {
            return ([], [InputProblem(source: source, line: lineOf(start, in: bytes),
                                      message: "not valid JSON (expected an order object or an array of them)")])
        }
        if bytes[start] != UInt8(ascii: "[") {
            return ([record(Array(bytes[start...]), source: source, line: lineOf(start, in: bytes))], [])
        }
        return (elements(of: bytes, from: start).map { range in
            record(Array(bytes[range]), source: source, line: lineOf(range.lowerBound, in: bytes))
        }, [])
    }

    static func readJSONLines(_ bytes: [UInt8], source: String)
        -> (records: [InputRecord], problems: [InputProblem]) {
        var records: [InputRecord] = []
        var problems: [InputProblem] = []
        var number = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let trimmed = Array(line.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
            if trimmed.isEmpty { continue }
            if (try? JSONSerialization.jsonObject(with: Data(trimmed), options: [.fragmentsAllowed])) == nil {
                problems.append(InputProblem(source: source, line: number, message: "not valid JSON"))
                continue
            }
            records.append(record(trimmed, source: source, line: number))
        }
        return (records, problems)
    }

    static func record(_ body: [UInt8], source: String, line: Int) -> InputRecord {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        return InputRecord(source: source, line: line, body: body, id: object?["id"] as? String)
    }

    /// Byte ranges of the top-level array's elements.
    static func elements(of bytes: [UInt8], from start: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var elementStart: Int?
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                if depth == 1, elementStart == nil { elementStart = index }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                if depth == 1, elementStart == nil { elementStart = index }
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 {
                    if let open = elementStart { ranges.append(open..<trimEnd(bytes, open, index)) }
                    return ranges
                }
            case UInt8(ascii: ","):
                if depth == 1, let open = elementStart {
                    ranges.append(open..<trimEnd(bytes, open, index))
                    elementStart = nil
                }
            default:
                if depth == 1, elementStart == nil, !isSpace(byte) { elementStart = index }
            }
            index += 1
        }
        return ranges
    }

    private static func trimEnd(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return end
    }

    static func lineOf(_ offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// Adds `"channel"` to an object that has none, leaving every other byte
    /// as it was (so numbers reach the validator exactly as written).
    static func tagChannel(_ body: [UInt8], channel: String) -> [UInt8] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              object["channel"] == nil || object["channel"] is NSNull,
              let open = body.firstIndex(of: UInt8(ascii: "{")) else { return body }
        if object["channel"] is NSNull { return body }
        let rest = body[(open + 1)...].first(where: { !isSpace($0) })
        let separator = rest == UInt8(ascii: "}") ? "" : ","
        let insertion = Array("\"channel\":\(JSONText.string(channel))\(separator)".utf8)
        return Array(body[...open]) + insertion + Array(body[(open + 1)...])
    }
}

/// JSON text by hand, so numbers can be written as they were given.
enum JSONText {
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A number as written when it looks like one and a Double holds it,
    /// else a string (the validator then says the field must be a number):
    /// `1e400` is JSON's grammar but no reader's number, and would make the
    /// whole order unreadable instead of one cell wrong.
    static func number(_ text: String) -> String {
        let pattern = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/
        return text.wholeMatch(of: pattern) != nil && Double(text)?.isFinite == true ? text : string(text)
    }

    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
