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

    @Test("an id that could leave the folder names no file")
    func traversal() {
        for id in ["..", "../labels/x", ".hidden", "a/b", "a\\b", "", "a b"] {
            #expect(documents.path(.label, orderID: id) == nil, "\(id)")
        }
    }
}
