import Foundation
import DocumentModel
import Testing

@Suite struct JSONTests {
    @Test func encodesWithSortedKeys() throws {
        let value: Document = ["b": 1, "a": ["y": true, "x": .null], "c": [1.5, "s\n\"q\""]]
        #expect(try value.jsonText() == #"{"a":{"x":null,"y":true},"b":1,"c":[1.5,"s\n\"q\""]}"#)
    }

    @Test func roundTripsThroughText() throws {
        let value: Document = ["n": -12, "f": 0.125, "s": "héllo \u{1}", "l": [[], ["k": "v"]], "big": .int(Int64.max)]
        #expect(try Document(jsonText: value.jsonText()) == value)
    }

    @Test func decodesEscapesAndSurrogates() throws {
        #expect(try Document(jsonText: #""\u00e9\ud83d\ude00\t""#) == "é😀\t")
    }

    @Test func rejectsBadJSON() {
        for text in ["{", "[1,]", "{\"a\" 1}", "tru", "1 2", "\"abc"] {
            #expect(throws: JSONError.self, "\(text)") { _ = try Document(jsonText: text) }
        }
    }

    /// A learner's policy is text: the error names the line and column an editor shows.
    @Test func badJSONNamesLineAndColumn() {
        do {
            _ = try Document(jsonText: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "invalid JSON at line 3, column 17: unexpected character", "\(error)")
        }
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: JSONError.self) { _ = try Document.double(.infinity).jsonText() }
    }

    @Test func emptyTablesCountAsListOrMap() {
        #expect(Document.map([:]).arrayValue == [])
        #expect(Document.array([]).mapValue == [:])
        #expect(Document.array([]) == Document.map([:]))
    }
}

@Suite struct DocumentWritableTests {
    @Test func aDocumentWritesItselfBackUnchanged() {
        let document: Document = [
            "n": .null, "t": true, "i": -3, "d": 1.5, "s": "text", "b": .bytes([0, 255, 10]), "a": [1, "two", [3]],
            "m": ["inner": ["deep": .bytes([104, 105])]], "empty": [:],
        ]
        #expect(Document(writing: document) == document)
    }

    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func base64MatchesRFC4648(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        let decoded = Array(encoded.utf8).withUnsafeBytes { Base64.decode($0) }
        #expect(decoded == Array(plain.utf8))
    }

    @Test func base64RejectsWhatIsNotBase64() {
        for bad in ["Zg=", "Z!==", "Zm9v\n", "====", "Zm9vYm!=", "Zm9vY!==", "Zm9v!mFy", "Zm\u{80}v"] {
            #expect(Array(bad.utf8).withUnsafeBytes { Base64.decode($0) } == nil, "\(bad)")
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Array(Base64.encode(all).utf8).withUnsafeBytes { Base64.decode($0) } == all)
    }

    /// Bytes become a string when they are UTF-8, on the ASCII fast path or the validating
    /// one, at every position of an eight-byte word.
    @Test func utf8TextAcceptsUTF8AndRefusesTheRest() {
        for length in 0...20 {
            for position in 0..<max(length, 1) {
                var ascii = Array(repeating: UInt8(ascii: "a"), count: length)
                #expect(ascii.withUnsafeBufferPointer { UTF8Text.string($0) } == String(repeating: "a", count: length))
                guard length > 0 else { continue }
                ascii[position] = 0xFF
                #expect(ascii.withUnsafeBufferPointer { UTF8Text.string($0) } == nil, "0xFF at \(position) of \(length)")
                var accented = Array(repeating: UInt8(ascii: "a"), count: length)
                accented.insert(contentsOf: Array("é".utf8), at: position)
                let text = String(repeating: "a", count: position) + "é" + String(repeating: "a", count: length - position)
                #expect(accented.withUnsafeBufferPointer { UTF8Text.string($0) } == text)
                #expect(Array(accented.dropLast(length - position + 1)).withUnsafeBufferPointer { UTF8Text.string($0) } == nil, "a cut sequence")
            }
        }
    }

    /// Every length from 0 to 300 round-trips, and agrees with Foundation's codec both ways.
    @Test func base64AgreesWithFoundation() {
        var state: UInt64 = 7
        for length in 0...300 {
            let bytes = (0..<length).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString(), "length \(length)")
            #expect(Array(encoded.utf8).withUnsafeBytes { Base64.decode($0) } == bytes, "length \(length)")
        }
    }
}

/// The compact writer's exact text: what `json.encode` returns to function code.
@Suite struct JSONWriterTests {
    @Test func integersAsStringWritesThem() throws {
        for i: Int64 in [0, 1, -1, 9, 10, -10, 1_234_567_890, .max, .min, .max - 1, .min + 1] {
            #expect(try Document.int(i).jsonText() == String(i))
        }
        // Integral doubles below 10^15 are written as integers, others as Swift writes them.
        #expect(try Document.array([.double(3), .double(-0.0), .double(999_999_999_999_999), .double(1e15), .double(0.1), .double(-2.5)]).jsonText()
            == "[3,0,999999999999999,\(String(1e15)),0.1,-2.5]")
    }

    @Test func stringsEscapeQuotesBackslashesAndControlBytesOnly() throws {
        var expected = "\""
        var text = ""
        for byte in 0..<32 {
            text.append(Character(Unicode.Scalar(UInt8(byte))))
            switch byte {
            case 9: expected += "\\t"
            case 10: expected += "\\n"
            case 13: expected += "\\r"
            default: expected += String(format: "\\u%04x", byte)
            }
        }
        text += "a\"b\\c\u{7f}é😀 end"
        expected += "a\\\"b\\\\c\u{7f}é😀 end\""
        #expect(try Document.string(text).jsonText() == expected)
        #expect(try Document.bytes([0x22, 0xff, 0x41]).jsonText() == String(decoding: [0x22, 0x5c, 0x22, 0xff, 0x41, 0x22], as: UTF8.self))
        #expect(try Document.string("").jsonText() == "\"\"")
    }

    @Test func mapsAreSortedBytewiseAtEveryLevel() throws {
        let value: Document = ["b": ["z": 1, "Z": 2, "é": 3, "e": 4], "a": [], "B": [:], "": .null]
        #expect(try value.jsonText() == #"{"":null,"B":{},"a":[],"b":{"Z":2,"e":4,"z":1,"é":3}}"#)
    }
}
