import OMSDomain

/// A UPU S10 item identifier, the tracking number of postal parcels worldwide:
/// two letters of service indicator, an 8-digit serial, a check digit, and the
/// ISO 3166-1 alpha-2 code of the issuing country — `RR473124829GB`. It fits
/// the message schema's tracking number pattern `^[A-Z0-9]{6,40}$`.
///
/// The check digit (UPU standard S10): weigh the serial's digits by 8 6 4 2 3 5
/// 9 7, sum, take the remainder mod 11; the check digit is 11 − remainder,
/// except that 10 becomes 0 and 11 becomes 5.
public struct TrackingNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Nil unless `text` is a well-formed S10 number with a correct check digit
    /// and an assigned country code.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        value = text
    }

    /// Nil when the indicator is not two capital letters, the serial is not
    /// 0 to 99999999, or the country is not an ISO 3166-1 alpha-2 code.
    public init?(serviceIndicator: String, serial: Int, country: String) {
        guard serviceIndicator.utf8.count == 2, serviceIndicator.utf8.allSatisfy(Self.isCapital),
              (0...99_999_999).contains(serial), Country.codes.contains(country) else { return nil }
        let digits = String(serial)
        let padded = String(repeating: "0", count: 8 - digits.count) + digits
        value = "\(serviceIndicator)\(padded)\(Self.checkDigit(serial: serial))\(country)"
    }

    public var description: String { value }

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 13,
              bytes[0..<2].allSatisfy(isCapital), bytes[2..<11].allSatisfy(isDigit),
              bytes[11..<13].allSatisfy(isCapital),
              Country.codes.contains(String(decoding: bytes[11..<13], as: UTF8.self)) else { return false }
        let serial = bytes[2..<10].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return Int(bytes[10] - UInt8(ascii: "0")) == checkDigit(serial: serial)
    }

    /// The S10 check digit of an 8-digit serial (0 to 99999999).
    public static func checkDigit(serial: Int) -> Int {
        var rest = serial
        var sum = 0
        for weight in weights.reversed() {
            sum += (rest % 10) * weight
            rest /= 10
        }
        switch 11 - sum % 11 {
        case 10: return 0
        case 11: return 5
        case let check: return check
        }
    }

    private static let weights = [8, 6, 4, 2, 3, 5, 9, 7]

    private static func isCapital(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let number = TrackingNumber(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a UPU S10 tracking number: \(text)"))
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
