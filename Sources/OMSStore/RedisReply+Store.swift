import RedisClient

extension RedisReply {
    /// The reply itself, or `StoreError` kind `.server` for an error reply.
    func checked(_ operation: String) throws(StoreError) -> RedisReply {
        if let message = errorMessage { throw StoreError(.server, operation: operation, message) }
        return self
    }

    /// The reply's elements, for a reply that must be an array.
    func elements(_ operation: String) throws(StoreError) -> [RedisReply] {
        guard let elements = try checked(operation).array else { throw unexpected(operation) }
        return elements
    }

    /// A hash as `HGETALL` returns it: field, value, field, value…
    func fieldValues(_ operation: String) throws(StoreError) -> [(field: String, value: RedisReply)] {
        let elements = try elements(operation)
        guard elements.count.isMultiple(of: 2) else { throw unexpected(operation) }
        return stride(from: 0, to: elements.count, by: 2).map { index in
            (String(decoding: elements[index].bytes ?? [], as: UTF8.self), elements[index + 1])
        }
    }

    func unexpected(_ operation: String) -> StoreError {
        StoreError(.unexpectedReply, operation: operation, shape)
    }

    /// What the reply is, without its bytes: they may hold an order document.
    private var shape: String {
        switch self {
        case .string(let bytes): "(a string of \(bytes.count) bytes)"
        case .status(let text): "(status \(text))"
        case .integer(let value): "(integer \(value))"
        case .array(let elements): "(an array of \(elements.count))"
        case .null: "(nil)"
        case .error(let message): "(error \(message))"
        }
    }
}
