import Foundation
import Testing

/// Every input the fuzz targets once failed on (fuzz/regressions/<target>/),
/// and what fuzz/run seeds them with, through the very checks libFuzzer runs,
/// without libFuzzer: a fixed crash stays fixed in `make test`.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../..").standardized

    static let checks: [String: @Sendable ([UInt8]) -> [String]] = [
        "order-parser": OrderParserFuzzTarget.check, "order-csv": OrderCSVFuzzTarget.check,
        "handoff": HandoffFuzzTarget.check, "email": EmailComposerFuzzTarget.check,
    ]

    /// fuzz/run's seeds of each target, besides its regressions.
    static let seeds = [
        "order-parser": ["order.place", "order.cancel", "order.return", "shipment.delivered", "stock.restocked"]
            .map { "schemas/examples/\($0)" },
        "order-csv": ["examples", "fuzz/seeds/order-csv"],
        "handoff": ["fuzz/seeds/handoff"],
        "email": ["schemas/examples/event"],
    ]

    /// (target, path from the repository's root) of every input.
    static let inputs: [(String, String)] = checks.keys.sorted().flatMap { target in
        (["fuzz/regressions/\(target)"] + seeds[target, default: []]).flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appending(path: folder).path)) ?? [])
                .sorted().filter { !isFolder("\(folder)/\($0)") }.map { (target, "\(folder)/\($0)") }
        }
    }

    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appending(path: path).path, isDirectory: &folder)
            && folder.boolValue
    }

    @Test("every kept crasher and seed keeps its target's promises", arguments: inputs)
    func keepsPromises(target: String, path: String) throws {
        let check = try #require(Self.checks[target])
        #expect(check(try [UInt8](Data(contentsOf: Self.root.appending(path: path)))) == [])
    }

    @Test("each target has its regressions folder replayed and its seeds found")
    func everyTargetHasInputs() {
        for target in Self.checks.keys {
            #expect(Self.inputs.contains { $0.0 == target }, "no input of \(target) was found")
        }
    }
}
