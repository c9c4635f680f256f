import Foundation
import Hummingbird

/// The label and packing slip the ship and pick stages wrote for an order,
/// as files under `OMS_DOCUMENTS_DIR` (`labels/ID.pdf`, `packing-slips/ID.pdf`).
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
    func path(_ kind: Kind, orderID: String) -> String? {
        guard let first = orderID.unicodeScalars.first, CharacterSet.alphanumerics.contains(first),
              orderID.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "._:-".unicodeScalars.contains($0) })
        else { return nil }
        return "\(directory)/\(kind.folder)/\(orderID).pdf"
    }

    /// The documents that exist for the order, as the order page links them.
    func existing(orderID: String) -> [[String: String]] {
        Kind.allCases.compactMap { kind in
            guard let path = path(kind, orderID: orderID), FileManager.default.fileExists(atPath: path) else { return nil }
            return ["title": kind.title, "href": "/orders/\(orderID)/\(kind.rawValue).pdf"]
        }
    }

    func response(_ kind: Kind, orderID: String) -> Response {
        guard let path = path(kind, orderID: orderID), let data = FileManager.default.contents(atPath: path) else {
            return StaffAccess.refusal(.notFound, "no \(kind.title.lowercased()) for order \(orderID)")
        }
        return Response(status: .ok, headers: [.contentType: "application/pdf"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
