import Hummingbird

extension Request {
    /// The whole body, or a 413 when it is longer than `limit`.
    func bodyBytes(upTo limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(status: .contentTooLarge, message: "request body is over the limit of \(limit) bytes")
        }
    }
}
