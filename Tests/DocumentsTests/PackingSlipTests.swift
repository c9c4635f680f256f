import Documents
import Foundation
import OMSDomain
import Testing

@Suite("Packing slip")
struct PackingSlipTests {
    @Test("an A4 slip with order facts, ship-to, lines and the item total")
    func slip() {
        let slip = PackingSlip(order: Fixtures.order(), date: Fixtures.placedAt, locations: ["MUG-BLUE": "A-01-3"])
        let pdf = PDFInspector(slip.pdf())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount == 1)
        #expect(pdf.occurrences(of: "/MediaBox [0 0 595 842]") == 1)
        let text = pdf.pageTexts[0]
        for expected in ["PACKING SLIP", "web-100234", "#100234", "web", "2026-11-22", "Ada Lovelace",
                         "12 Analytical St", "London N1 9GU", "GB", "MUG-BLUE", "Blue stoneware mug", "A-01-3",
                         "TEA-EARL", "Location", "Total items 3", "2 lines", "Order web-100234 · page 1 of 1"] {
            #expect(text.contains(expected), "\(expected)")
        }
    }

    @Test("no bin known: no Location column")
    func noLocations() {
        let text = PDFInspector(PackingSlip(order: Fixtures.order(), date: Fixtures.placedAt).pdf()).allText
        #expect(!text.contains("Location"))
    }

    @Test("a long order continues on numbered pages, every line once")
    func long() {
        let slip = PackingSlip(order: Fixtures.order(lines: Fixtures.manyLines(90)), date: Fixtures.placedAt)
        let pdf = PDFInspector(slip.pdf())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount >= 2)
        let all = pdf.pageTexts.flatMap { $0 }
        for number in 1...90 { #expect(all.filter { $0 == "SKU-\(number)" }.count == 1) }
        #expect(pdf.pageTexts[1].contains("Packing slip web-100234 (continued)"))
        #expect(pdf.pageTexts.last!.contains("Order web-100234 · page \(pdf.pageCount) of \(pdf.pageCount)"))
        #expect(pdf.pageTexts.last!.contains { $0.hasPrefix("Total items") })
    }

    @Test("the same inputs give identical bytes")
    func deterministic() {
        let slip = { PackingSlip(order: Fixtures.order(), date: Fixtures.placedAt, locations: ["MUG-BLUE": "A-01-3",
                                                                                            "TEA-EARL": "B-02-1"]) }
        #expect(slip().pdf() == slip().pdf())
    }
}
