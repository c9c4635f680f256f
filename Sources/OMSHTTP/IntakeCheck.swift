import OMSDomain

/// A body for `oms.intake` checked with the rules `oms publish` and the
/// workers use, before anything is published.
enum IntakeCheck {
    /// The message, or a 400 (not JSON), 413 (too large) or 422 listing every problem.
    static func decode(_ key: IntakeMessage.RoutingKey, _ body: [UInt8]) throws(APIError) -> IntakeMessage {
        do throws(IntakeMessage.DecodingError) {
            return try IntakeMessage.decode(routingKey: key.rawValue, body: body)
        } catch .invalid(let failure) {
            throw APIError(status: .unprocessableContent, message: "invalid \(key.rawValue)",
                           problems: failure.issues.map { .init(path: $0.path, reason: $0.problem) })
        } catch let error {
            if case .tooLarge = error { throw APIError(status: .contentTooLarge, message: error.description) }
            throw APIError(status: .badRequest, message: error.description)
        }
    }

    static func order(_ body: [UInt8]) throws(APIError) -> Order {
        guard case .place(let order) = try decode(.orderPlace, body) else {
            throw APIError(status: .internalServerError, message: "order.place decoded as another command")
        }
        return order
    }
}
