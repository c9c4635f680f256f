import OMSDomain
import Testing

@Suite("Return restocks")
struct ReturnRestockTests {
    typealias Line = OrderReturn.Line

    @Test("sellable lines of one SKU make one restock of their sum; damaged lines none")
    func groupedBySKU() {
        let request = OrderReturn(orderID: "web-1", reason: nil, lines: [
            Line(sku: "MUG", quantity: 1, condition: .sellable),
            Line(sku: "TEA", quantity: 2, condition: .damaged),
            Line(sku: "MUG", quantity: 2, condition: .sellable),
            Line(sku: "CAP", quantity: 1, condition: .sellable),
        ])
        #expect(request.restocks.map(\.sku) == ["MUG", "CAP"])
        #expect(request.restocks.map(\.quantity) == [3, 1])
    }

    @Test("restock ids are the same for the same order and SKU, differ otherwise, and pass the restock_id rule")
    func restockIDs() throws {
        let longOrder = "web-" + String(repeating: "9", count: 96)
        let longSKU = String(repeating: "S", count: 64)
        func id(_ order: String, _ sku: String) -> String {
            OrderReturn(orderID: order, reason: nil, lines: [Line(sku: sku, quantity: 1, condition: .sellable)])
                .restocks[0].restockID!
        }
        #expect(id("web-1", "MUG") == id("web-1", "MUG"))
        #expect(id("web-1", "MUG") != id("web-2", "MUG"))
        #expect(id("web-1", "MUG") != id("web-1", "TEA"))
        #expect(id("web-1:M", "UG") != id("web-1", "M:UG"))
        let long = OrderReturn(orderID: longOrder, reason: nil,
                               lines: [Line(sku: longSKU, quantity: 1, condition: .sellable)]).restocks[0]
        // What oms-capture will check when the restock comes back through intake.
        guard case .restocked(let parsed) = try IntakeMessage.decode(routingKey: "stock.restocked",
                                                                     body: long.encoded()) else {
            Issue.record("not a restock")
            return
        }
        #expect(parsed == long)
    }
}
