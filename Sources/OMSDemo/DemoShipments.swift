import OMSDomain

/// The shipped orders of a peak: parcels per location, orders per number of
/// parcels, and the first few split orders to show.
public struct DemoShipments: Sendable {
    /// How many split orders the summary spells out.
    static let examplesShown = 3

    /// Location → parcels that left from there.
    var parcelsFrom: [String: Int] = [:]
    /// Number of parcels → orders shipped in that many.
    var ordersByParcelCount: [Int: Int] = [:]
    var splitExamples: [(orderID: String, parcels: [ShippedParcel])] = []

    mutating func add(orderID: String, pickLocation: String?, parcels: [ShippedParcel]) {
        guard !parcels.isEmpty else {
            if let pickLocation { parcelsFrom[pickLocation, default: 0] += 1 }
            ordersByParcelCount[1, default: 0] += 1
            return
        }
        for parcel in parcels { parcelsFrom[parcel.location, default: 0] += 1 }
        ordersByParcelCount[parcels.count, default: 0] += 1
        if splitExamples.count < Self.examplesShown { splitExamples.append((orderID, parcels)) }
    }

    /// "412 in one parcel, 37 in 2"
    var countsText: String {
        ordersByParcelCount.sorted { $0.key < $1.key }.map { count, orders in
            count == 1 ? "\(orders) in one parcel" : "\(orders) in \(count)"
        }.joined(separator: ", ")
    }

    /// One line per parcel of an example: "  web-1a2b-00012  1/2 LON-1  CA…GB  2 × MUG-BLUE".
    var exampleLines: [String] {
        splitExamples.flatMap { orderID, parcels in
            parcels.map { parcel in
                let lines = parcel.lines.map { "\($0.quantity) × \($0.sku)" }.joined(separator: ", ")
                return "  \(orderID)  parcel \(parcel.number)/\(parcels.count) from \(parcel.location)  "
                    + "\(parcel.trackingNumber)  \(lines)"
            }
        }
    }

    var json: [String: Any] {
        ["shipped_from": parcelsFrom,
         "parcels_per_order": Dictionary(uniqueKeysWithValues: ordersByParcelCount.map { (String($0.key), $0.value) }),
         "split_orders": splitExamples.map { orderID, parcels in
             ["order_id": orderID, "parcels": parcels.map { parcel in
                 ["number": parcel.number, "location": parcel.location, "tracking_number": parcel.trackingNumber,
                  "lines": parcel.lines.map { ["sku": $0.sku, "quantity": $0.quantity] }] as [String: Any]
             }] as [String: Any]
         }]
    }
}
