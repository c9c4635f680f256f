import OMSDomain
import Testing

@Suite("Catalog products")
struct ProductTests {
    @Test("a full row and a row with only sku and title are products")
    func parses() throws {
        let full = try Product.parse(["sku": "MUG-BLUE", "title": "Blue mug, 350 ml", "weight_g": "400",
                                      "hs_code": "691200", "origin": "GB", "image_url": "https://shop.example/mug.jpg"]).get()
        #expect(full == Product(sku: "MUG-BLUE", title: "Blue mug, 350 ml", weightGrams: 400, hsCode: "691200",
                                origin: "GB", imageURL: "https://shop.example/mug.jpg"))
        #expect(try Product.parse(["sku": "TEE-M", "title": "T-shirt", "weight_g": ""]).get()
            == Product(sku: "TEE-M", title: "T-shirt"))
    }

    @Test("every broken column is reported by name")
    func problems() {
        guard case .failure(let failure) = Product.parse(["sku": "mug blue", "weight_g": "heavy", "hs_code": "69",
                                                          "origin": "UK"]) else {
            Issue.record("accepted")
            return
        }
        #expect(failure.issues.count == 5, "\(failure.issues)")
        for column in ["sku", "title", "weight_g", "hs_code", "origin"] {
            #expect(failure.issues.contains { $0.hasPrefix(column + " ") }, "\(column): \(failure.issues)")
        }
    }

    @Test("an order's lines get what they lack from the catalog; what the channel sent is kept")
    func completes() throws {
        let order = HoldRulesTests.order
        let catalog = ["MUG-BLUE": Product(sku: "MUG-BLUE", title: "Blue mug", weightGrams: 400, hsCode: "691200",
                                           origin: "GB")]
        var withName = order
        withName.lines[0].name = "Mug (channel's name)"
        let completed = withName.completed(from: catalog)
        #expect(completed.lines[0].name == "Mug (channel's name)")
        #expect(completed.lines[0].weightGrams == 400 && completed.lines[0].hsCode == "691200")
        #expect(completed.lines[0].originCountry == "GB")
        #expect(completed.lines[1] == order.lines[1], "TEA-EARL has no entry: unchanged")
        #expect(order.completed(from: [:]) == order)
    }
}
