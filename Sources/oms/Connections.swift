import AMQPClient
import Foundation
import RedisClient

extension ServerOptions {
    /// A broker connection named after the verb, shown in the management UI.
    func amqp(_ verb: String) async throws -> AMQPConnection {
        let url = try AMQPURL(amqpURL)
        return try await AMQPConnection.connect(
            AMQPConfiguration(url: url, connectionName: "oms \(verb)", reconnectWait: .seconds(5)))
    }

    func redis() async throws -> RedisConnection {
        try await RedisConnection.connect(url: try RedisURL(redisURL))
    }
}

/// Output helpers: JSON for `--json`, aligned columns for people.
enum Output {
    static func json(_ value: Any) {
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: options) else {
            print("null")
            return
        }
        print(String(decoding: data, as: UTF8.self))
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ header: [String], _ rows: [[String]]) {
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

    static let localTime: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss ZZZZZ"
        return formatter
    }()

    static func local(_ date: Date) -> String { localTime.string(from: date) }
}

/// Ids and SKUs on the command line: refused here with one line, before any
/// server is asked, when they could never name anything.
enum Identifier {
    static func check(_ value: String, _ what: String) throws {
        guard !value.isEmpty, value.count <= 128 else {
            throw CLIError("invalid \(what) '\(value)': must be 1 to 128 characters")
        }
        if let bad = value.unicodeScalars.first(where: {
            $0.properties.isWhitespace || $0.value < 0x20 || $0 == "{" || $0 == "}" || $0 == "*"
        }) {
            let name = bad.properties.isWhitespace || bad.value < 0x20 ? "spaces or control characters" : "'\(bad)'"
            throw CLIError("invalid \(what) '\(value)': must not contain \(name)")
        }
    }
}
