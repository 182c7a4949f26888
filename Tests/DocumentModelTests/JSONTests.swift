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

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: JSONError.self) { _ = try Document.double(.infinity).jsonText() }
    }

    @Test func emptyTablesCountAsListOrMap() {
        #expect(Document.map([:]).arrayValue == [])
        #expect(Document.array([]).mapValue == [:])
        #expect(Document.array([]) == Document.map([:]))
    }
}
