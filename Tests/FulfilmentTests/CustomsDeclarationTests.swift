import Foundation
import Fulfilment
import OMSDomain
import Testing

@Suite("Customs declarations")
struct CustomsDeclarationTests {
    @Test("no declaration inside one customs territory", arguments: [
        ("GB", "GB"), ("GB", "IM"), ("DE", "FR"), ("FR", "MC"), ("US", "PR"),
    ])
    func notRequired(from: String, to: String) throws {
        #expect(!CustomsDeclaration.isRequired(from: from, to: to))
        // No HS code anywhere, and still nothing to declare.
        let order = try TestOrders.order(country: to, lines: [#"{ "sku": "GIFT-CARD", "quantity": 1, "unit_price": 500 }"#])
        #expect(try CustomsDeclaration.make(for: order, from: from, defaultItemWeightGrams: 500) == nil)
    }

    @Test("a declaration across a border", arguments: [("GB", "DE"), ("GB", "JE"), ("DE", "GB"), ("GB", "US")])
    func required(from: String, to: String) {
        #expect(CustomsDeclaration.isRequired(from: from, to: to))
    }

    @Test("one line per order line, with totals, as a sale of goods")
    func linesAndTotals() throws {
        let order = try TestOrders.order(id: "web-9", country: "US", lines: [TestOrders.mug, TestOrders.tea])
        let declaration = try #require(try CustomsDeclaration.make(for: order, from: "GB", defaultItemWeightGrams: 250))
        let usd = Currency(code: "USD")!
        #expect(declaration.orderID == "web-9")
        #expect(declaration.fromCountry == "GB")
        #expect(declaration.toCountry == "US")
        #expect(declaration.category == .saleOfGoods)
        #expect(declaration.lines.count == 2)
        let mug = declaration.lines[0]
        #expect(mug.description == "Blue mug")
        #expect(mug.quantity == 2)
        #expect(mug.netWeightGrams == 800)
        #expect(mug.value == Money(minorUnits: 2500, currency: usd))
        #expect(mug.hsCode == "691200")
        #expect(mug.originCountry == "PT")
        let tea = declaration.lines[1]
        #expect(tea.description == "TEA-EARL")  // no name: the SKU
        #expect(tea.netWeightGrams == 250)  // no weight: the default
        #expect(tea.originCountry == "GB")  // no origin: where it ships from
        #expect(declaration.totalValue == Money(minorUnits: 3399, currency: usd))
        #expect(declaration.totalNetWeightGrams == 1050)
    }

    @Test("an international line without an HS code is refused, naming every such line")
    func missingHSCode() throws {
        let noCode = #"{ "sku": "SOCK-RED", "quantity": 3, "unit_price": 500 }"#
        let one = try TestOrders.order(country: "US", lines: [TestOrders.mug, noCode])
        #expect(throws: CustomsError.missingHSCode(lines: [.init(index: 1, sku: "SOCK-RED")], destination: "US")) {
            try CustomsDeclaration.make(for: one, from: "GB", defaultItemWeightGrams: 500)
        }
        let two = try TestOrders.order(country: "CH", lines: [noCode, TestOrders.tea,
                                                              #"{ "sku": "HAT", "quantity": 1, "unit_price": 1 }"#])
        do {
            _ = try CustomsDeclaration.make(for: two, from: "GB", defaultItemWeightGrams: 500)
            Issue.record("declared lines without HS codes")
        } catch {
            #expect(error.description == "lines[0] (SOCK-RED) needs an hs_code for customs to CH; "
                + "lines[2] (HAT) needs an hs_code for customs to CH")
        }
    }

    @Test("the category is written as \"sale of goods\" in JSON")
    func coding() throws {
        let order = try TestOrders.order(country: "US")
        let declaration = try #require(try CustomsDeclaration.make(for: order, from: "GB", defaultItemWeightGrams: 500))
        let json = String(decoding: try JSONEncoder().encode(declaration), as: UTF8.self)
        #expect(json.contains(#""category":"sale of goods""#))
        #expect(try JSONDecoder().decode(CustomsDeclaration.self, from: Data(json.utf8)) == declaration)
    }
}
