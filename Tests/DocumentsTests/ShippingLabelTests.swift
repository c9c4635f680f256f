import Documents
import Foundation
import OMSDomain
import Testing

@Suite("Shipping label")
struct ShippingLabelTests {
    @Test("a domestic label is one valid 4x6 page with tracking number, order ids and no customs block")
    func domestic() throws {
        let label = try Fixtures.label(Fixtures.order(country: "GB"))
        #expect(label.customs == nil)
        let pdf = PDFInspector(try label.pdf())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount == 1)
        #expect(pdf.occurrences(of: "/MediaBox [0 0 288 432]") == 1)
        let text = pdf.allText
        #expect(text.contains("TRACKING # OMS123"))
        #expect(text.contains("web-100234"))
        #expect(text.contains("#100234"))
        #expect(text.contains("table-rate"))
        #expect(text.contains("EXPRESS"))
        #expect(text.contains("1.250 kg"))
        #expect(text.contains("1 of 1"))
        #expect(text.contains("Ada Lovelace"))
        #expect(text.contains("oms Fulfilment Centre"))
        #expect(!text.contains("CUSTOMS"))
        #expect(!text.contains("6912.00"))
        #expect(!text.contains("0902.30"))
    }

    @Test("an international label carries the CN 22 declaration on its one page")
    func international() throws {
        let label = try Fixtures.label(Fixtures.order(country: "US"))
        #expect(label.customs != nil)
        let pdf = PDFInspector(try label.pdf())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount == 1)
        let text = pdf.pageTexts[0]
        #expect(text.contains("CUSTOMS DECLARATION CN 22"))
        #expect(text.contains("Sale of goods"))
        #expect(text.contains("X"))
        // Per line: description, quantity, net weight, value, HS code, origin.
        #expect(text.contains("Blue stoneware mug"))
        #expect(text.contains("0.700"))
        #expect(text.contains("25.00 USD"))
        #expect(text.contains("6912.00"))
        #expect(text.contains("PT"))
        #expect(text.contains("Earl Grey tea, 250 g"))
        #expect(text.contains("8.99 USD"))
        #expect(text.contains("0902.30"))
        #expect(text.contains("IN"))
        #expect(text.contains("Total value 33.99 USD"))
        #expect(text.contains("Total gross weight 1.250 kg"))
    }

    @Test("a line without name, weight or origin prints as declared: its SKU, the default weight, the warehouse's country")
    func sparseLine() throws {
        let bare = Fixtures.Line(sku: "GIFT-CARD", quantity: 2, unitPrice: 5000, hsCode: "4911.10")
        let pdf = PDFInspector(try Fixtures.label(Fixtures.order(country: "FR", currency: "EUR", lines: [bare])).pdf())
        #expect(pdf.problems == [])
        let text = pdf.pageTexts[0]
        #expect(text.contains("GIFT-CARD"))
        #expect(text.contains("1.000"), "2 x the default 500 g")
        #expect(text.contains("100.00 EUR"))
        #expect(text.contains("4911.10"))
        #expect(text.filter { $0 == "GB" }.count == 2, "the warehouse address and the origin column: \(text)")
        #expect(!text.contains("-"))
    }

    @Test("the label prints the declaration it is given and decides nothing itself: none given, no customs block")
    func customsOnlyWhenGiven() throws {
        var label = try Fixtures.label(Fixtures.order(country: "US"))
        label.customs = nil
        let text = PDFInspector(try label.pdf()).allText
        #expect(!text.contains("CUSTOMS DECLARATION CN 22"))
        #expect(!text.contains("6912.00"))
    }

    @Test("a customs block too long for the label moves to following pages, numbered")
    func customsOnMorePages() throws {
        let label = try Fixtures.label(Fixtures.order(country: "US", lines: Fixtures.manyLines(60)))
        let pdf = PDFInspector(try label.pdf())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount >= 3)
        #expect(pdf.pageCount == pdf.pageTexts.count)
        #expect(pdf.pageTexts[0].contains("CUSTOMS DECLARATION CN 22: see the following page"))
        #expect(pdf.pageTexts[0].contains("TRACKING # OMS123"))
        #expect(!pdf.pageTexts[0].contains("9503.1"))
        #expect(pdf.pageTexts[1].contains("CUSTOMS DECLARATION CN 22"))
        #expect(pdf.pageTexts[2].contains("CUSTOMS DECLARATION CN 22 (continued)"))
        #expect(pdf.pageTexts[0].contains("page 1 of \(pdf.pageCount)"))
        // Every HS code exactly once, the totals once, on the last page.
        let all = pdf.pageTexts.flatMap { $0 }
        for number in 1...60 { #expect(all.filter { $0 == "9503.\(number)" }.count == 1) }
        #expect(pdf.pageTexts.last!.contains { $0.hasPrefix("Total value") })
        #expect(all.filter { $0.hasPrefix("Total value") }.count == 1)
    }

    @Test("a customer name with parentheses and a backslash reads back whole")
    func escapedName() throws {
        let name = #"Ada (Countess) \ Lovelace"#
        let pdf = PDFInspector(try Fixtures.label(Fixtures.order(customer: name)).pdf())
        #expect(pdf.problems == [])
        #expect(pdf.allText.contains(name))
        let strings = pdf.contentStreams.flatMap { PDFInspector.literalStrings(in: $0) }
        #expect(!strings.contains(nil))
    }

    @Test("a non-Latin name prints as ? and the file stays valid")
    func nonLatinName() throws {
        let pdf = PDFInspector(try Fixtures.label(Fixtures.order(customer: "Ωmega 東京")).pdf())
        #expect(pdf.problems == [])
        #expect(pdf.allText.contains("?mega ??"))
    }

    @Test("the same inputs give identical bytes")
    func deterministic() throws {
        let first = try Fixtures.label(Fixtures.order(country: "US")).pdf()
        let second = try Fixtures.label(Fixtures.order(country: "US")).pdf()
        #expect(first == second)
        let other = try Fixtures.label(Fixtures.order(country: "US"), trackingNumber: "OMS124").pdf()
        #expect(first != other)
    }

    @Test("a tracking number Code 128 B cannot print is refused, saying why")
    func badTrackingNumber() {
        #expect(throws: DocumentError.trackingNumber(.unsupportedCharacter("€", offset: 3))) {
            try Fixtures.label(Fixtures.order(), trackingNumber: "OMS€1").pdf()
        }
    }
}
