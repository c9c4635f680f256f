import Testing
@testable import RedisClient

@Suite("Redis Cluster hash slots")
struct HashSlotTests {
    @Test("CRC16 XMODEM of 123456789 is 0x31C3")
    func crcCheckValue() {
        #expect(HashSlot.crc16(Array("123456789".utf8)[...]) == 0x31C3)
    }

    @Test("slot of foo is 12182, of bar 5061, as CLUSTER KEYSLOT says")
    func knownSlots() {
        #expect(HashSlot.of("foo") == 12182)
        #expect(HashSlot.of("bar") == 5061)
        #expect(HashSlot.of("") == 0)
    }

    @Test("keys sharing a hash tag share a slot")
    func hashTags() {
        #expect(HashSlot.of("{user1000}.following") == HashSlot.of("{user1000}.followers"))
        #expect(HashSlot.of("{user1000}.following") == HashSlot.of("user1000"))
        #expect(HashSlot.of("oms:stock:{MUG-BLUE}") == HashSlot.of("oms:stock:{MUG-BLUE}:holds"))
    }

    @Test("the tag is the first {…} with something inside")
    func tagRules() {
        #expect(HashSlot.hashedPart(of: Array("foo{}{bar}".utf8)) == Array("foo{}{bar}".utf8)[...])
        #expect(Array(HashSlot.hashedPart(of: Array("foo{{bar}}zap".utf8))) == Array("{bar".utf8))
        #expect(Array(HashSlot.hashedPart(of: Array("foo{bar}{zap}".utf8))) == Array("bar".utf8))
        #expect(Array(HashSlot.hashedPart(of: Array("foo{bar".utf8))) == Array("foo{bar".utf8))
    }
}
