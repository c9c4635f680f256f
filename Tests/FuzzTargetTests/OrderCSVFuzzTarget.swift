import Foundation
@testable import oms
import OMSDomain

/// What `oms publish` must make of any input file: CSV read by its CSV
/// reader, and the same bytes as whatever format they look like (JSON,
/// JSON Lines, CSV). libFuzzer runs it as the `order-csv` target (fuzz/run);
/// FuzzRegressionTests replays every input it once failed on (fuzz/regressions/order-csv).
///
/// Beyond not crashing: every record it makes is one JSON document, since
/// the CSV reader writes each order's JSON itself and a JSON file's elements
/// are cut from a document that parsed; each reaches the order validator.
enum OrderCSVFuzzTarget {
    /// The promises the bytes broke; empty when they held.
    static func check(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        for (source, format, channel) in [("orders.csv", InputFormat.csv, "web"), ("orders", .auto, nil)] {
            for record in OrderInput.read(bytes, source: source, format: format, channel: channel).records {
                guard (try? JSONSerialization.jsonObject(with: Data(record.body), options: .fragmentsAllowed)) != nil else {
                    broken.append("\(format) record at line \(record.line) is not JSON: "
                                  + String(decoding: record.body, as: UTF8.self))
                    continue
                }
                if case .invalid(let failure)? = decodingError(record.body) {
                    for issue in failure.issues { _ = record.location(of: issue.path) }
                }
            }
        }
        return broken
    }

    private static func decodingError(_ body: [UInt8]) -> IntakeMessage.DecodingError? {
        do {
            _ = try IntakeMessage.decode(routingKey: IntakeMessage.RoutingKey.orderPlace.rawValue, body: body)
            return nil
        } catch {
            return error
        }
    }
}
