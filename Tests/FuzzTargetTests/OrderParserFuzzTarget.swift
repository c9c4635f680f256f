import Foundation
@testable import OMSDomain

/// What the intake parsers and the fast JSON reader must make of any bytes.
/// libFuzzer runs it as the `order-parser` target (fuzz/run); FuzzRegressionTests
/// replays every input it once failed on (fuzz/regressions/order-parser).
///
/// Beyond not crashing: what the fast reader reads, JSONDecoder reads too,
/// into the same value (JSONReader's promise: stricter, never looser); and
/// an order's stored bytes read back into the very same bytes (so their hash
/// tells a duplicate from a conflict at every stage).
enum OrderParserFuzzTarget {
    /// The promises the bytes broke; empty when they held.
    static func check(_ body: [UInt8]) -> [String] {
        for key in IntakeMessage.RoutingKey.allCases {
            _ = try? IntakeMessage.decode(routingKey: key.rawValue, body: body)
        }
        var broken: [String] = []
        if let fast = JSONValue.parse(body) {
            switch Result(catching: { try JSONDecoder().decode(JSONValue.self, from: Data(body)) }) {
            case .success(let slow) where slow != fast:
                broken.append("JSONValue.parse read \(fast) where JSONDecoder read \(slow)")
            case .failure(let error):
                broken.append("JSONValue.parse read \(fast) where JSONDecoder refused the document: \(error)")
            case .success: break
            }
        }
        if let order = JSONReader.read(body, { Order(reader: &$0) }) {
            if let slow = try? OrderCoding.decodeValue(Order.self, from: body), slow != order {
                broken.append("the fast order reader read \(order) where JSONDecoder read \(slow)")
            }
            let stored = OrderCoding.encode(order)
            let again = (try? OrderCoding.decode(stored)).map(OrderCoding.encode)
            if again != stored {
                broken.append("order \(order.id) stored as \(String(decoding: stored, as: UTF8.self)) is read and "
                              + "stored again as " + (again.map { String(decoding: $0, as: UTF8.self) } ?? "an error"))
            }
        }
        return broken
    }
}
