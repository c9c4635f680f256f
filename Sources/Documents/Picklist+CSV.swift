import Foundation

extension Picklist {
    public static let csvHeader = ["picklist_id", "location", "sku", "quantity", "order_id", "order_quantity"]

    /// RFC 4180 CSV, UTF-8, CRLF after every record: the header, then one
    /// row per (SKU, order) in entry order. An entry without orders still
    /// gets one row, with the order columns empty. A field holding a comma,
    /// a quote or a line break is quoted, its quotes doubled.
    public func csv() -> [UInt8] {
        var records = [Self.csvHeader]
        for entry in entries {
            let shared = [id, entry.location ?? "", entry.sku, String(entry.quantity)]
            if entry.orders.isEmpty {
                records.append(shared + ["", ""])
            }
            for order in entry.orders {
                records.append(shared + [order.orderID, String(order.quantity)])
            }
        }
        var text = ""
        for record in records {
            text += record.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
