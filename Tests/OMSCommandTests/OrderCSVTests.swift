@testable import oms
import OMSDomain
import Testing

@Suite("Orders read from CSV")
struct OrderCSVTests {
    static func read(_ csv: String) -> (records: [InputRecord], problems: [InputProblem]) {
        OrderInput.read(Array(csv.utf8), source: "orders.csv", format: .csv, channel: nil)
    }

    @Test("a price beyond a Double's range is refused at its row's cell, not as broken JSON")
    func priceBeyondDoubleRange() throws {
        let read = Self.read("order_id,sku,quantity,unit_price\nbig-1,MUG-BLUE,1,1e400\n")
        #expect(read.problems.isEmpty)
        let record = try #require(read.records.first)
        #expect(String(decoding: record.body, as: UTF8.self)
            == #"{"id":"big-1","lines":[{"sku":"MUG-BLUE","quantity":1,"unit_price":"1e400"}]}"#)
        do {
            _ = try IntakeMessage.decode(routingKey: "order.place", body: record.body)
        } catch .invalid(let failure) {
            let issue = try #require(failure.issues.first { $0.path == "lines[0].unit_price" })
            #expect(issue.description
                == "lines[0].unit_price must be a whole number of minor units (0 to 1000000000000)")
            #expect(record.location(of: issue.path) == "orders.csv:2")
        } catch {
            Issue.record("expected the order to be invalid, not \(error)")
        }
    }

    @Test("numbers in range are written as the numbers they are")
    func numbersInRange() throws {
        let read = Self.read("order_id,sku,quantity,unit_price,weight_grams\nn-1,MUG-BLUE,2,1250,1e3\n")
        let record = try #require(read.records.first)
        #expect(String(decoding: record.body, as: UTF8.self)
            == #"{"id":"n-1","lines":[{"sku":"MUG-BLUE","quantity":2,"unit_price":1250,"weight_grams":1e3}]}"#)
    }
}
