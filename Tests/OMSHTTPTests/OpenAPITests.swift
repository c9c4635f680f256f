import Foundation
import TestSupport
import Testing

/// openapi.yaml is valid OpenAPI 3.1, and every operation it describes is
/// answered by a handler of the running server. The routes are hand-written
/// on Hummingbird (see README, HTTP), so this test is what keeps the two together.
@Suite("openapi.yaml")
struct OpenAPITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Validates the file with openapi-spec-validator (PyPI; `make test-deps`
    /// installs it) and lists its operations as "METHOD PATH".
    static func operations() async throws -> [String] {
        let script = """
            import sys, yaml
            from openapi_spec_validator import validate
            from openapi_spec_validator.readers import read_from_filename
            spec, url = read_from_filename(sys.argv[1])
            validate(spec, base_uri=url)
            for path, item in spec["paths"].items():
                for method in item:
                    if method in ("get", "post", "put", "patch", "delete"):
                        print(method.upper(), path)
            """
        let result = try await TestProcess.run(["python3", "-c", script,
                                                root.appendingPathComponent("openapi.yaml").path])
        guard result.status == 0 else {
            throw ValidatorFailed(description: "openapi.yaml did not validate (needs `python3 -m pip install "
                + "openapi-spec-validator`, as `make test-deps` does): \(result.stderr)")
        }
        return String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    struct ValidatorFailed: Error, CustomStringConvertible {
        var description: String
    }

    @Test("openapi.yaml is valid and describes the seven operations")
    func valid() async throws {
        #expect(try await Self.operations().sorted() == [
            "GET /api/v1/orders", "GET /api/v1/orders/{id}", "GET /api/v1/stock/{sku}", "POST /api/v1/orders",
            "POST /api/v1/orders/{id}/cancel", "POST /webhooks/shopify", "POST /webhooks/woocommerce",
        ])
    }

    @Test("every operation in openapi.yaml reaches a handler, which answers JSON")
    func routed() async throws {
        let server = try await LiveServer.start()
        for operation in try await Self.operations() {
            let parts = operation.split(separator: " ").map(String.init)
            let path = parts[1].replacingOccurrences(of: "{id}", with: "openapi-none")
                .replacingOccurrences(of: "{sku}", with: "OPENAPI-NONE")
            let reply = try await server.api(parts[0], path)
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true, "\(operation): \(reply.status)")
        }
        let unrouted = try await server.api("GET", "/api/v1/nothing")
        #expect(unrouted.status == 404)
        #expect(unrouted.header("Content-Type")?.hasPrefix("application/json") != true)
        await server.stop()
    }
}
