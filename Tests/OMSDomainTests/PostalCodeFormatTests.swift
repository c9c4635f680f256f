import Foundation
import OMSDomain
import Testing

@Suite("Postal codes")
struct PostalCodeFormatTests {
    @Test("real codes of each country in the table pass", arguments: [
        ("GB", "N1 9GU"), ("GB", "sw1a1aa"), ("GB", "EC1A 1BB"), ("GB", "GIR 0AA"), ("US", "94103"),
        ("US", "94103-1234"), ("CA", "K1A 0B1"), ("DE", "10115"), ("FR", "75008"), ("NL", "1012 AB"),
        ("IE", "D02 X285"), ("IE", "D6W 1234"), ("AU", "2000"), ("JP", "100-0001"), ("JP", "1000001"),
    ])
    func valid(country: String, code: String) {
        #expect(PostalCodeFormat.problem(code, country: country) == nil)
    }

    @Test("impossible codes are refused, saying the country and an example", arguments: [
        ("GB", "12345"), ("US", "9410"), ("US", "94103-12"), ("CA", "D1A 0B1"), ("DE", "1011"), ("FR", "7500A"),
        ("NL", "0123 AB"), ("IE", "B02 X285"), ("AU", "20000"), ("JP", "10-0001"),
    ])
    func invalid(country: String, code: String) {
        let problem = PostalCodeFormat.problem(code, country: country)
        #expect(problem?.contains("is not a postal code of \(country) (e.g. ") == true, "\(problem ?? "accepted")")
    }

    @Test("countries outside the table keep only the general rule")
    func others() {
        #expect(PostalCodeFormat.problem("ANYTHING 1", country: "SE") == nil)
    }

    @Test("an impossible code rejects the order with the field named")
    func orderRejected() {
        let body = IntakeValidationTests.order(["shipping_address", "postal_code"], #""12345""#)
        #expect(IntakeValidationTests.problems(body)
            == ["shipping_address.postal_code is not a postal code of GB (e.g. N1 9GU)"])
    }

    @Test("order.place.schema.json holds the same table, so the schema and Swift judge alike")
    func schemaHoldsTheSameTable() throws {
        let url = SchemaAgreementTests.schemas.appendingPathComponent("order.place.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let address = try #require((schema["$defs"] as? [String: Any])?["Address"] as? [String: Any])
        var patterns: [String: String] = [:]
        for rule in address["allOf"] as? [[String: Any]] ?? [] {
            let country = ((rule["if"] as? [String: Any])?["properties"] as? [String: Any])?["country"] as? [String: Any]
            let postal = ((rule["then"] as? [String: Any])?["properties"] as? [String: Any])?["postal_code"] as? [String: Any]
            if let code = country?["const"] as? String, let pattern = postal?["pattern"] as? String {
                patterns[code] = pattern
            }
        }
        #expect(patterns == PostalCodeFormat.formats.mapValues(\.pattern))
    }
}
