import DocumentModel
import Testing

/// Numbers read from their bytes (`JSONNumber`) give what `Int64(_:)` and `Double(_:)` give
/// for the same text, bit for bit, and the texts outside its shapes still read as before.
@Suite struct JSONNumberTests {
    /// What the reader gave before the fast path: an integer if `Int64` takes the text and it
    /// has no fraction or exponent, else `Double`'s value.
    static func expected(_ text: String) -> Document? {
        if !text.contains(where: { ".eE".contains($0) }), let i = Int64(text) { return .int(i) }
        return Double(text).map(Document.double)
    }

    static func read(_ text: String) -> Document? { try? Document(jsonText: text) }

    static func same(_ a: Document?, _ b: Document?) -> Bool {
        switch (a, b) {
        case (.int(let x)?, .int(let y)?): return x == y
        case (.double(let x)?, .double(let y)?): return x.bitPattern == y.bitPattern
        case (nil, nil): return true
        default: return false
        }
    }

    @Test func randomDecimalsReadAsDoubleReadsThem() {
        // Knuth's MMIX linear congruential generator: the same texts on every run.
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 17
        }
        var checked = 0
        for _ in 0..<40_000 {
            let digits = 1 + Int(next() % 18)
            var text = next() % 3 == 0 ? "-" : ""
            var mantissa = ""
            for i in 0..<digits { mantissa.append(Character(String(i == 0 && digits > 1 ? 1 + next() % 9 : next() % 10))) }
            let point = Int(next() % UInt64(digits + 1))
            if point > 0 && point < digits && next() % 4 != 0 {
                mantissa.insert(".", at: mantissa.index(mantissa.startIndex, offsetBy: point))
            } else if next() % 2 == 0 {
                mantissa = "0." + String(repeating: "0", count: Int(next() % 5)) + mantissa
            }
            text += mantissa
            if next() % 3 == 0 {
                let e = Int(next() % 60) - 30
                text += (next() % 2 == 0 ? "e" : "E") + (e >= 0 && next() % 2 == 0 ? "+" : "") + String(e)
            }
            #expect(Self.same(Self.read(text), Self.expected(text)), "\(text)")
            checked += 1
        }
        #expect(checked == 40_000)
    }

    @Test func edgesReadAsBefore() {
        let texts = [
            "0", "-0", "007", "-0.0", "0.0", "0e5", "1e22", "1e23", "1e-22", "1e-23", "123456789012345678", "1234567890123456789",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "999999999999999.9",
            "9007199254740993.0", "1.7976931348623157e308", "5e-324", "0.1", "0.30000000000000004", "123.456e-5", "1E+2",
            "1.5e0", "100.000", "2.5000000000000000001",
        ]
        for text in texts { #expect(Self.same(Self.read(text), Self.expected(text)), "\(text)") }
        #expect(Self.same(Self.read("-0.0"), .double(-0.0)))
    }

    @Test func malformedNumbersAreStillRefused() {
        for text in ["-", "1.", ".5", "1e", "1e+", "1-2", "1.2.3", "--1", "+1", "1e5.5"] {
            #expect(Self.same(Self.read(text), Self.expected(text)), "\(text)")
        }
        #expect(Self.read("1-2") == nil)
    }
}
