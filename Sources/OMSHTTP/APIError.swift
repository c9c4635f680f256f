import Foundation
import Hummingbird

/// A refusal as the API and the webhooks answer it: a status and a JSON body
/// `{"error": "...", "problems": [{"path": "...", "reason": "..."}]}`.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var problems: [Problem] = []
    var headers: HTTPFields = [:]

    struct Problem: Codable, Hashable, Sendable {
        var path: String
        var reason: String
    }

    private struct Body: Encodable {
        var error: String
        var problems: [Problem]?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(Body(error: message, problems: problems.isEmpty ? nil : problems),
                                          status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func notFound(_ what: String) -> APIError { APIError(status: .notFound, message: "no \(what)") }

    static func unavailable(_ error: any Error) -> APIError {
        APIError(status: .serviceUnavailable, message: "not confirmed by the broker, nothing accepted: \(error)")
    }
}

/// JSON responses from `Encodable` values: keys sorted, slashes as they are.
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The 202 body: the order the broker confirmed a command for.
struct Accepted: Encodable {
    var orderID: String
    var status: String

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id"
        case status
    }
}
