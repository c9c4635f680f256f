import Documents
import Foundation
import Testing

@Suite("Picklist")
struct PicklistTests {
    static let picklist = Picklist(id: "PL-20261122-001", createdAt: Fixtures.placedAt, entries: [
        .init(sku: "MUG-BLUE", location: "A-01-3", quantity: 3, orders: [
            .init(orderID: "web-100234", quantity: 2), .init(orderID: "web-100235", quantity: 1),
        ]),
        .init(sku: "TEA-EARL", location: "B-02,1", quantity: 1, orders: [.init(orderID: "web-100234", quantity: 1)]),
        .init(sku: #"POSTER "XL""#, location: nil, quantity: 4, orders: [.init(orderID: "amz-7", quantity: 4)]),
    ])

    @Test("CSV: the header, one row per SKU and order, RFC 4180 quoting, CRLF")
    func csv() {
        let csv = String(decoding: Self.picklist.csv(), as: UTF8.self)
        let expected = [
            "picklist_id,location,sku,quantity,order_id,order_quantity",
            "PL-20261122-001,A-01-3,MUG-BLUE,3,web-100234,2",
            "PL-20261122-001,A-01-3,MUG-BLUE,3,web-100235,1",
            #"PL-20261122-001,"B-02,1",TEA-EARL,1,web-100234,1"#,
            #"PL-20261122-001,,"POSTER ""XL""",4,amz-7,4"#,
        ]
        #expect(csv == expected.map { $0 + "\r\n" }.joined())
        #expect(csv.split(separator: "\r\n").count == 1 + 4)
    }

    @Test("CSV: an entry without orders keeps its row, order columns empty")
    func csvWithoutOrders() {
        let list = Picklist(id: "PL-2", createdAt: Fixtures.placedAt,
                            entries: [.init(sku: "MUG-BLUE", location: "A-01-3", quantity: 0, orders: [])])
        #expect(String(decoding: list.csv(), as: UTF8.self).hasSuffix("\r\nPL-2,A-01-3,MUG-BLUE,0,,\r\n"))
    }

    @Test("PDF: a table of location, SKU, total and orders, with a summary and page number")
    func pdf() {
        let pdf = PDFInspector(Self.picklist.pdf())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount == 1)
        let text = pdf.pageTexts[0]
        for expected in ["PICKLIST", "PL-20261122-001", "Created 2026-11-22 10:00 UTC", "3 SKUs · 8 units · 3 orders",
                         "A-01-3", "MUG-BLUE", "3", "web-100234\u{00A0}×\u{00A0}2, web-100235\u{00A0}×\u{00A0}1",
                         #"POSTER "XL""#, "Picklist PL-20261122-001 · page 1 of 1"] {
            #expect(text.contains(expected), "\(expected)")
        }
    }

    @Test("PDF: a long picklist runs to several pages, numbered 'page 1 of N'")
    func long() {
        let entries = (1...150).map { number in
            Picklist.Entry(sku: "SKU-\(number)", location: "R\(number / 10)-\(number % 10)", quantity: 2,
                           orders: [.init(orderID: "web-\(number)", quantity: 1), .init(orderID: "web-0", quantity: 1)])
        }
        let pdf = PDFInspector(Picklist(id: "PL-9", createdAt: Fixtures.placedAt, entries: entries).pdf())
        #expect(pdf.problems == [])
        let pages = pdf.pageCount
        #expect(pages >= 3)
        for (index, text) in pdf.pageTexts.enumerated() {
            #expect(text.contains("Picklist PL-9 · page \(index + 1) of \(pages)"))
        }
        let all = pdf.pageTexts.flatMap { $0 }
        for number in 1...150 { #expect(all.filter { $0 == "SKU-\(number)" }.count == 1) }
    }

    @Test("PDF: one SKU split across hundreds of orders wraps, and continues on the next page")
    func manyOrders() {
        let orders = (1...600).map { Picklist.OrderQuantity(orderID: "web-\(100_000 + $0)", quantity: 1) }
        let list = Picklist(id: "PL-10", createdAt: Fixtures.placedAt,
                            entries: [.init(sku: "MUG-BLUE", location: "A-01-3", quantity: 600, orders: orders)])
        let pdf = PDFInspector(list.pdf())
        #expect(pdf.problems == [])
        #expect(pdf.pageCount >= 2)
        let all = pdf.allText
        for order in orders { #expect(all.contains("\(order.orderID)\u{00A0}×\u{00A0}1")) }
    }

    @Test("the same picklist gives identical bytes")
    func deterministic() {
        #expect(Self.picklist.pdf() == Self.picklist.pdf())
        #expect(Self.picklist.csv() == Self.picklist.csv())
    }
}
