@testable import OMSHTTP
import Testing

@Suite("order documents")
struct OrderDocumentsTests {
    let documents = OrderDocuments(directory: "/srv/docs")

    @Test("an order's label and packing slip are where the ship and pick stages write them")
    func paths() {
        #expect(documents.path(.label, orderID: "web-100234") == "/srv/docs/labels/web-100234.pdf")
        #expect(documents.path(.packingSlip, orderID: "mkt:JP-1.2_3") == "/srv/docs/packing-slips/mkt:JP-1.2_3.pdf")
    }

    @Test("each parcel of a split order has its own label and slip, linked under /parcels/N/")
    func parcels() {
        #expect(documents.path(.label, orderID: "web-1", parcel: 2) == "/srv/docs/labels/web-1-2.pdf")
        #expect(documents.path(.packingSlip, orderID: "web-1", parcel: 1) == "/srv/docs/packing-slips/web-1-1.pdf")
        #expect(documents.href(.label, "web-1", 2) == "/orders/web-1/parcels/2/label.pdf")
        #expect(documents.href(.packingSlip, "web-1", nil) == "/orders/web-1/packing-slip.pdf")
    }

    @Test("an id that could leave the folder names no file")
    func traversal() {
        for id in ["..", "../labels/x", ".hidden", "a/b", "a\\b", "", "a b"] {
            #expect(documents.path(.label, orderID: id) == nil, "\(id)")
        }
    }
}
