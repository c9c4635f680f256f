import Foundation
import OMSStore

/// One page of an order list, newest change first. The cursor names the last
/// order of the previous page (its `updated_at` and id, base64url), so a page
/// goes on where the last one ended even when orders arrive in between.
struct OrderPage: Equatable {
    var orders: [OrderSummary]
    var nextCursor: String?

    static let maximumLimit = 500

    /// Nil when the cursor is not one this server wrote.
    static func slice(_ all: [OrderSummary], after cursor: String?, limit: Int) -> OrderPage? {
        var start = all.startIndex
        if let cursor {
            guard let last = decode(cursor) else { return nil }
            start = all.firstIndex { OrderSummary.newestFirst(last, $0) } ?? all.endIndex
        }
        let end = min(start + limit, all.endIndex)
        let orders = Array(all[start..<end])
        let next = end < all.endIndex ? orders.last.map(encode) : nil
        return OrderPage(orders: orders, nextCursor: next)
    }

    static func encode(_ summary: OrderSummary) -> String {
        Data("\(summary.updated)\n\(summary.id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> OrderSummary? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        return OrderSummary(id: String(parts[1]), status: "", channel: "", updated: String(parts[0]), reason: "")
    }
}
