import Foundation
import TestSupport
import OMSDomain
import Testing

/// The JSON Schemas in schemas/ and the Swift validator must never disagree:
/// every example is judged by both, Python's jsonschema for the schemas.
@Suite("Schemas and the Swift validator agree")
struct SchemaAgreementTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas")

    /// example path (relative to schemas/) → valid, as jsonschema judges it.
    static func schemaVerdicts() async throws -> [String: Bool] {
        let result = try await TestProcess.run(["python3", schemas.appendingPathComponent("check_examples.py").path])
        guard result.status == 0 else {
            throw SchemaCheckFailed(description: "schemas/check_examples.py exited \(result.status); "
                + "it needs python3 with jsonschema and rfc3339-validator (make test installs them): \(result.stderr)")
        }
        return try JSONDecoder().decode([String: Bool].self, from: Data(result.stdout))
    }

    @Test("every intake example gets the same verdict from both")
    func intakeExamples() async throws {
        let verdicts = try await Self.schemaVerdicts()
        let intakeKeys = Set(IntakeMessage.RoutingKey.allCases.map(\.rawValue))
        var compared = 0
        for (path, schemaSaysValid) in verdicts.sorted(by: { $0.key < $1.key }) {
            let parts = path.split(separator: "/")
            guard parts.count == 3, intakeKeys.contains(String(parts[1])) else { continue }
            let body = try [UInt8](Data(contentsOf: Self.schemas.appendingPathComponent(path)))
            let swiftSaysValid = (try? IntakeMessage.decode(routingKey: String(parts[1]), body: body)) != nil
            #expect(swiftSaysValid == schemaSaysValid, "\(path): schema says \(schemaSaysValid), Swift \(swiftSaysValid)")
            #expect(schemaSaysValid == parts[2].hasPrefix("valid-"), "\(path) is misnamed or misjudged")
            compared += 1
        }
        #expect(compared >= 100, "only \(compared) intake examples found under schemas/examples")
    }

    @Test("the schemas' currency and country lists are the Swift ones")
    func codeLists() throws {
        let data = try Data(contentsOf: Self.schemas.appendingPathComponent("common.schema.json"))
        let common = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let definitions = common["$defs"] as! [String: Any]
        let currencies = Set((definitions["Currency"] as! [String: Any])["enum"] as! [String])
        let countries = Set((definitions["Country"] as! [String: Any])["enum"] as! [String])
        #expect(currencies == Currency.all)
        #expect(countries == Country.codes)
    }
}

struct SchemaCheckFailed: Error, CustomStringConvertible {
    var description: String
}
