import Testing
import RedisClient

@Suite("Redis reply accessors")
struct RedisReplyTests {
    @Test("int reads integer replies and bulk strings holding decimals")
    func int() {
        #expect(RedisReply.integer(42).int == 42)
        #expect(RedisReply.string(Array("-17".utf8)).int == -17)
        #expect(RedisReply.string(Array("4x".utf8)).int == nil)
        #expect(RedisReply.status("OK").int == nil)
        #expect(RedisReply.null.int == nil)
    }

    @Test("string reads bulk strings as UTF-8 and statuses; invalid UTF-8 is nil")
    func string() {
        #expect(RedisReply.string(Array("grüß".utf8)).string == "grüß")
        #expect(RedisReply.status("PONG").string == "PONG")
        #expect(RedisReply.string([0xff, 0xfe]).string == nil)
        #expect(RedisReply.string([0xff, 0xfe]).bytes == [0xff, 0xfe])
        #expect(RedisReply.error("ERR nope").string == nil)
        #expect(RedisReply.integer(1).string == nil)
    }

    @Test("array, null and error accessors")
    func others() {
        let nested = RedisReply.array([.integer(1), .null, .array([.status("OK")])])
        #expect(nested.array?.count == 3)
        #expect(nested.array?[2].array?.first?.string == "OK")
        #expect(RedisReply.null.isNull)
        #expect(!RedisReply.string([]).isNull)
        #expect(RedisReply.error("WRONGTYPE bad").errorMessage == "WRONGTYPE bad")
        #expect(RedisReply.status("OK").errorMessage == nil)
    }
}
