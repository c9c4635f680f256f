import Testing

@testable import Documents

@Suite("Code 128 set B")
struct Code128Tests {
    @Test("OMS123 encodes to start B, six data symbols, check 48, stop")
    func knownValue() throws {
        // Set B value = ASCII - 32: O 47, M 45, S 51, 1 17, 2 18, 3 19.
        // Check = (104 + 47·1 + 45·2 + 51·3 + 17·4 + 18·5 + 19·6) mod 103
        //       = (104 + 47 + 90 + 153 + 68 + 90 + 114) mod 103 = 666 mod 103 = 48.
        let code = try Code128("OMS123")
        #expect(code.symbols == [104, 47, 45, 51, 17, 18, 19, 48, 106])
        #expect(code.checkSymbol == 48)
        // Start B 211214, O 133121, M 113123, S 213113, 1 123221, 2 223211,
        // 3 221132, check 48 313121, stop 2331112.
        let expected = "211214" + "133121" + "113123" + "213113" + "123221" + "223211" + "221132" + "313121"
            + "2331112"
        #expect(code.elementWidths == expected.map { Int(String($0))! })
        // 8 symbols of 11 modules, then the 13-module stop.
        #expect(code.moduleCount == 8 * 11 + 13)
        #expect(code.elementWidths.reduce(0, +) == 101)
    }

    @Test("module count is 11 per symbol plus 13 for the stop, for any length")
    func moduleCount() throws {
        for text in ["A", "1Z999AA10123456784", String(repeating: "~", count: 40)] {
            let code = try Code128(text)
            #expect(code.moduleCount == 11 * (text.count + 2) + 13)
            #expect(code.elementWidths.reduce(0, +) == code.moduleCount)
            #expect(code.elementWidths.count == 6 * (text.count + 2) + 7)
        }
    }

    @Test("the pattern table: 106 distinct symbols of 11 modules, bars even, and the 13-module stop")
    func table() {
        let patterns = Code128.patterns
        #expect(patterns.count == 107)
        for (value, pattern) in patterns.enumerated().dropLast() {
            #expect(pattern.count == 6, "symbol \(value)")
            #expect(pattern.reduce(0, +) == 11, "symbol \(value)")
            // Code 128's parity: the bars of every symbol add up to an even number of modules.
            let barModules = Int(pattern[0]) + Int(pattern[2]) + Int(pattern[4])
            #expect(barModules % 2 == 0, "symbol \(value)")
        }
        #expect(Set(patterns.dropLast()).count == 106)
        #expect(patterns[106] == [2, 3, 3, 1, 1, 1, 2])
    }

    @Test("characters outside printable ASCII and empty text are refused")
    func refused() {
        #expect(throws: Code128.EncodingError.unsupportedCharacter("é", offset: 2)) { try Code128("ABé") }
        #expect(throws: Code128.EncodingError.unsupportedCharacter("\n", offset: 1)) { try Code128("A\nB") }
        #expect(throws: Code128.EncodingError.empty) { try Code128("") }
    }

    @Test("drawn as one filled rectangle per bar, edges on module boundaries")
    func drawn() throws {
        let code = try Code128("OMS123")
        var page = PDFPage(size: .label4x6)
        page.barcode(code, x: 10, y: 100, moduleWidth: 2, height: 50)
        let stream = String(decoding: page.content, as: UTF8.self)
        let rectangles = stream.split(separator: "\n").filter { $0.hasSuffix(" re") }
        // Three bars per symbol, four in the stop.
        #expect(rectangles.count == 8 * 3 + 4)
        // Start B is bar 2, space 1, bar 1, space 2, bar 1, space 4: bars on modules 0–1, 3 and 6.
        #expect(Array(rectangles.prefix(3)) == ["10 100 4 50 re", "16 100 2 50 re", "22 100 2 50 re"])
        // The stop's last bar (2 modules) ends at module 101.
        #expect(rectangles.last == "208 100 4 50 re")
        #expect(stream.hasSuffix("f Q\n"))
    }
}
