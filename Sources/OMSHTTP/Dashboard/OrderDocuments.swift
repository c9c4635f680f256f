import Foundation
import Hummingbird
import WorkerRuntime

/// The label and packing slip the ship and pick stages wrote for an order,
/// as files under `OMS_DOCUMENTS_DIR` (`labels/ID.pdf`, `packing-slips/ID.pdf`;
/// `ID-N.pdf` for parcel N of an order shipped in parcels).
/// They are on this machine's disk, so a copy of the server elsewhere shows
/// the effect markers without the links.
struct OrderDocuments: Sendable {
    let directory: String

    enum Kind: String, CaseIterable, Sendable {
        case label, packingSlip = "packing-slip"

        var folder: String { self == .label ? "labels" : "packing-slips" }
        var title: String { self == .label ? "Shipping label" : "Packing slip" }
    }

    /// Nil for an id that could name a path outside the folders (the
    /// characters of DESIGN's order ids only, not starting with a dot).
    func path(_ kind: Kind, orderID: String, parcel: Int? = nil) -> String? {
        guard let first = orderID.unicodeScalars.first, CharacterSet.alphanumerics.contains(first),
              orderID.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "._:-".unicodeScalars.contains($0) })
        else { return nil }
        return "\(directory)/\(kind.folder)/" + DocumentFiles.orderDocument(orderID, parcel: parcel)
    }

    /// The documents that exist for the order (and for each of its parcels), as the order page links them.
    func existing(orderID: String, parcels: [Int] = []) -> [[String: String]] {
        ([nil] + parcels.map(Optional.some)).flatMap { parcel in
            Kind.allCases.compactMap { kind -> [String: String]? in
                guard let path = path(kind, orderID: orderID, parcel: parcel),
                      FileManager.default.fileExists(atPath: path) else { return nil }
                return ["title": kind.title + (parcel.map { ", parcel \($0)" } ?? ""), "href": href(kind, orderID, parcel)]
            }
        }
    }

    func href(_ kind: Kind, _ orderID: String, _ parcel: Int?) -> String {
        "/orders/\(orderID)/" + (parcel.map { "parcels/\($0)/" } ?? "") + "\(kind.rawValue).pdf"
    }

    func response(_ kind: Kind, orderID: String, parcel: Int? = nil) -> Response {
        guard let path = path(kind, orderID: orderID, parcel: parcel),
              let data = FileManager.default.contents(atPath: path) else {
            return StaffAccess.refusal(.notFound, "no \(kind.title.lowercased()) for order \(orderID)"
                + (parcel.map { ", parcel \($0)" } ?? ""))
        }
        return Response(status: .ok, headers: [.contentType: "application/pdf"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
