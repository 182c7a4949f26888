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
        for bad in ["Zg=", "Z!==", "Zm9v\n", "===="] {
            #expect(Array(bad.utf8).withUnsafeBytes { Base64.decode($0) } == nil, "\(bad)")
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Array(Base64.encode(all).utf8).withUnsafeBytes { Base64.decode($0) } == all)
    }
}
