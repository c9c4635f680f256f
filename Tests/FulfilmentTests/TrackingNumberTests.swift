import Foundation
import Fulfilment
import Testing

@Suite("UPU S10 tracking numbers")
struct TrackingNumberTests {
    // RR473124829GB by hand: serial 4 7 3 1 2 4 8 2 weighed by 8 6 4 2 3 5 9 7 is
    // 32 + 42 + 12 + 2 + 6 + 20 + 72 + 14 = 200; 200 mod 11 = 2; 11 − 2 = 9. ✓
    // LA123456785GB: 8 + 12 + 12 + 8 + 15 + 30 + 63 + 56 = 204; 204 mod 11 = 6; 11 − 6 = 5. ✓
    @Test("known S10 numbers are valid", arguments: ["RR473124829GB", "LA123456785GB"])
    func knownValid(number: String) {
        #expect(TrackingNumber.isValid(number))
        #expect(TrackingNumber(number)?.value == number)
    }

    @Test("a check digit of 10 becomes 0 and of 11 becomes 5")
    func checkDigitEdges() {
        // 0 2 0 0 0 0 0 0: 2 × 6 = 12; 12 mod 11 = 1; 11 − 1 = 10 → 0.
        #expect(TrackingNumber.checkDigit(serial: 2_000_000) == 0)
        // 0 0 0 0 0 0 0 0: sum 0; 0 mod 11 = 0; 11 − 0 = 11 → 5.
        #expect(TrackingNumber.checkDigit(serial: 0) == 5)
        #expect(TrackingNumber.isValid("EA020000000GB"))
        #expect(TrackingNumber.isValid("EA000000005GB"))
    }

    @Test("a number made from a serial carries its check digit and zero-pads the serial")
    func generation() {
        #expect(TrackingNumber(serviceIndicator: "LA", serial: 12_345_678, country: "GB")?.value == "LA123456785GB")
        #expect(TrackingNumber(serviceIndicator: "CP", serial: 42, country: "US")?.value
            == "CP00000042\(TrackingNumber.checkDigit(serial: 42))US")
    }

    @Test("bad parts make no number")
    func badParts() {
        #expect(TrackingNumber(serviceIndicator: "L", serial: 1, country: "GB") == nil)
        #expect(TrackingNumber(serviceIndicator: "la", serial: 1, country: "GB") == nil)
        #expect(TrackingNumber(serviceIndicator: "LA", serial: 100_000_000, country: "GB") == nil)
        #expect(TrackingNumber(serviceIndicator: "LA", serial: -1, country: "GB") == nil)
        #expect(TrackingNumber(serviceIndicator: "LA", serial: 1, country: "XX") == nil)
    }

    @Test("malformed numbers are refused", arguments: [
        "RR473124828GB",  // wrong check digit
        "RR473124829",  // no country
        "rr473124829GB",  // lowercase indicator
        "R1473124829GB",  // digit in the indicator
        "RR47312482GB",  // serial one digit short
        "RR473124829XX",  // not an ISO 3166-1 country
        "RR4731248X9GB",
        "",
    ])
    func refused(number: String) {
        #expect(!TrackingNumber.isValid(number))
        #expect(TrackingNumber(number) == nil)
    }

    @Test("S10 numbers fit the message schema's tracking number pattern")
    func schemaPattern() throws {
        let pattern = try Regex("^[A-Z0-9]{6,40}$")
        for serial in [0, 2_000_000, 12_345_678, 99_999_999] {
            let number = try #require(TrackingNumber(serviceIndicator: "CP", serial: serial, country: "GB"))
            #expect(number.value.wholeMatch(of: pattern) != nil)
        }
    }

    @Test("JSON carries the number as a string and refuses an invalid one")
    func coding() throws {
        let number = try #require(TrackingNumber("RR473124829GB"))
        let data = try JSONEncoder().encode([number])
        #expect(String(decoding: data, as: UTF8.self) == #"["RR473124829GB"]"#)
        #expect(try JSONDecoder().decode([TrackingNumber].self, from: data) == [number])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([TrackingNumber].self, from: Data(#"["RR473124828GB"]"#.utf8))
        }
    }
}
