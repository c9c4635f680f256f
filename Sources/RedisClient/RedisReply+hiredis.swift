import CHiredis

extension RedisReply {
    /// Copies a reply tree; the caller still owns `reply` and frees it with `freeReplyObject`.
    init(copying reply: UnsafePointer<redisReply>) {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            self = .string(Array(UnsafeRawBufferPointer(start: reply.str, count: reply.len)))
        case REDIS_REPLY_STATUS:
            self = .status(Self.text(reply))
        case REDIS_REPLY_ERROR:
            self = .error(Self.text(reply))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(reply.integer))
        case REDIS_REPLY_ARRAY:
            self = .array((0..<reply.elements).map { RedisReply(copying: reply.element[$0]!) })
        case REDIS_REPLY_NIL:
            self = .null
        default:
            // hiredis 0.14 speaks RESP2 only and makes no other type.
            self = .error("unknown hiredis reply type \(reply.type)")
        }
    }

    private static func text(_ reply: redisReply) -> String {
        String(decoding: UnsafeRawBufferPointer(start: reply.str, count: reply.len), as: UTF8.self)
    }
}
