/// Orders as CSV: a header row, then one row per line item; the rows of one
/// order are consecutive and share its `order_id`. Order columns are read
/// from an order's first row; later rows may leave them empty (or repeat them
/// exactly). Columns (README.md "Publishing orders" documents them):
///
/// order_id, channel, external_id, placed_at, currency, customer_name,
/// customer_email, customer_phone, ship_line1, ship_line2, ship_city,
/// ship_region, ship_postal_code, ship_country, shipping_service,
/// payment_method, payment_token, tags (separated by `;`), sku, quantity,
/// unit_price, item_name, weight_grams, hs_code, origin_country.
enum OrderCSV {
    static let orderColumns = [
        "order_id", "channel", "external_id", "placed_at", "currency", "customer_name", "customer_email",
        "customer_phone", "ship_line1", "ship_line2", "ship_city", "ship_region", "ship_postal_code",
        "ship_country", "shipping_service", "payment_method", "payment_token", "tags",
    ]
    static let lineColumns = ["sku", "quantity", "unit_price", "item_name", "weight_grams", "hs_code", "origin_country"]
    static let required = ["order_id", "sku", "quantity", "unit_price"]

    struct Row {
        var line: Int
        var cells: [String: String]
    }

    static func read(_ bytes: [UInt8], source: String) -> (records: [InputRecord], problems: [InputProblem]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let rows = parse(text)
        guard let header = rows.first else { return ([], []) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let known = Set(orderColumns + lineColumns)
        if let unknown = names.first(where: { !known.contains($0) }) {
            return ([], [InputProblem(source: source, line: header.line,
                                      message: "unknown column '\(unknown)'; columns are "
                                          + (orderColumns + lineColumns).joined(separator: ", "))])
        }
        if let missing = required.first(where: { !names.contains($0) }) {
            return ([], [InputProblem(source: source, line: header.line,
                                      message: "missing column '\(missing)' in the header row")])
        }
        var problems: [InputProblem] = []
        var groups: [(id: String, rows: [Row])] = []
        var finished: [String: Int] = [:]
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.fields.count == names.count else {
                problems.append(InputProblem(source: source, line: row.line,
                                             message: "has \(row.fields.count) columns; the header has \(names.count)"))
                continue
            }
            var cells: [String: String] = [:]
            for (name, value) in zip(names, row.fields) { cells[name] = value.trimmingCharacters(in: .whitespaces) }
            let id = cells["order_id"] ?? ""
            if let last = groups.last, last.id == id {
                groups[groups.count - 1].rows.append(Row(line: row.line, cells: cells))
            } else if let first = finished[id] {
                problems.append(InputProblem(source: source, line: row.line,
                                             message: "order_id '\(id)' continues an order that started at line "
                                                 + "\(first); keep an order's rows together"))
            } else {
                finished[id] = row.line
                groups.append((id, [Row(line: row.line, cells: cells)]))
            }
        }
        var records: [InputRecord] = []
        for group in groups {
            switch order(group.rows) {
            case .success(let body):
                records.append(InputRecord(source: source, line: group.rows[0].line, body: Array(body.utf8),
                                           id: group.id.isEmpty ? nil : group.id,
                                           itemLines: group.rows.map(\.line), csv: true))
            case .failure(let problem):
                problems.append(InputProblem(source: source, line: problem.line, message: problem.message))
            }
        }
        return (records, problems)
    }

    struct RowProblem: Error {
        var line: Int
        var message: String
    }

    /// The `order.place` JSON of one order's rows.
    static func order(_ rows: [Row]) -> Result<String, RowProblem> {
        let first = rows[0]
        for row in rows.dropFirst() {
            for column in orderColumns {
                let value = row.cells[column] ?? ""
                if !value.isEmpty, value != first.cells[column] ?? "" {
                    return .failure(RowProblem(line: row.line, message: "column \(column) is '\(value)' but the "
                        + "order's first row (line \(first.line)) has '\(first.cells[column] ?? "")'"))
                }
            }
        }
        let cell = { (name: String) -> String? in
            guard let value = first.cells[name], !value.isEmpty else { return nil }
            return value
        }
        var members: [(String, String)] = []
        func add(_ key: String, _ column: String) {
            if let value = cell(column) { members.append((key, JSONText.string(value))) }
        }
        add("id", "order_id")
        add("channel", "channel")
        add("external_id", "external_id")
        add("placed_at", "placed_at")
        add("currency", "currency")
        var customer: [(String, String)] = []
        for (key, column) in [("name", "customer_name"), ("email", "customer_email"), ("phone", "customer_phone")] {
            if let value = cell(column) { customer.append((key, JSONText.string(value))) }
        }
        if !customer.isEmpty { members.append(("customer", JSONText.object(customer))) }
        var address: [(String, String)] = []
        for key in ["line1", "line2", "city", "region", "postal_code", "country"] {
            if let value = cell("ship_\(key)") { address.append((key, JSONText.string(value))) }
        }
        if !address.isEmpty { members.append(("shipping_address", JSONText.object(address))) }
        var lines: [String] = []
        for row in rows {
            var item: [(String, String)] = []
            for (key, column, numeric) in [("sku", "sku", false), ("quantity", "quantity", true),
                                           ("unit_price", "unit_price", true), ("name", "item_name", false),
                                           ("weight_grams", "weight_grams", true), ("hs_code", "hs_code", false),
                                           ("origin_country", "origin_country", false)] {
                guard let value = row.cells[column], !value.isEmpty else { continue }
                item.append((key, numeric ? JSONText.number(value) : JSONText.string(value)))
            }
            lines.append(JSONText.object(item))
        }
        members.append(("lines", "[" + lines.joined(separator: ",") + "]"))
        if let service = cell("shipping_service") {
            members.append(("shipping", JSONText.object([("service", JSONText.string(service))])))
        }
        var payment: [(String, String)] = []
        if let method = cell("payment_method") { payment.append(("method", JSONText.string(method))) }
        if let token = cell("payment_token") { payment.append(("token", JSONText.string(token))) }
        if !payment.isEmpty { members.append(("payment", JSONText.object(payment))) }
        if let tags = cell("tags") {
            let list = tags.split(separator: ";").map { JSONText.string($0.trimmingCharacters(in: .whitespaces)) }
            members.append(("tags", "[" + list.joined(separator: ",") + "]"))
        }
        return .success(JSONText.object(members))
    }

    /// RFC 4180 records: quoted fields may hold commas, quotes (doubled) and
    /// line breaks; each record keeps the line it starts on.
    static func parse(_ text: String) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var afterQuote = false
        var iterator = Array(text.unicodeScalars)
        if iterator.first == "\u{FEFF}" { iterator.removeFirst() }
        var index = 0
        func endRecord() {
            fields.append(field)
            records.append((recordLine, fields))
            fields = []
            field = ""
        }
        while index < iterator.count {
            let scalar = iterator[index]
            if quoted {
                if scalar == "\"" {
                    if index + 1 < iterator.count, iterator[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
            } else {
                switch scalar {
                case "\"" where field.isEmpty && !afterQuote:
                    quoted = true
                case ",":
                    fields.append(field)
                    field = ""
                    afterQuote = false
                case "\r":
                    break
                case "\n":
                    endRecord()
                    afterQuote = false
                    line += 1
                    recordLine = line
                default:
                    field.unicodeScalars.append(scalar)
                }
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}

import Foundation
