/// Redis Cluster's key → slot rule: CRC16 (XMODEM: polynomial 0x1021, initial
/// value 0) of the key modulo 16384, where a key holding `{…}` with at least
/// one byte between the first `{` and the next `}` is hashed on those bytes
/// only, so keys sharing a tag share a slot.
public enum HashSlot {
    public static let count = 16_384

    public static func of(_ key: [UInt8]) -> Int {
        Int(crc16(hashedPart(of: key)) % UInt16(count))
    }

    public static func of(_ key: String) -> Int {
        of(Array(key.utf8))
    }

    static func hashedPart(of key: [UInt8]) -> ArraySlice<UInt8> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
              let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")),
              close > open + 1 else { return key[...] }
        return key[(open + 1)..<close]
    }

    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}
