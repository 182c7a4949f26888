import DocumentModel
import LuaBridge
import Testing

@Suite struct ValueConversionTests {
    let lua: LuaState

    init() throws { lua = try LuaState() }

    /// Sends a value into Lua through an identity function and back.
    func roundTrip(_ value: Document) throws -> Document {
        let identity = try lua.load("return ...", chunkName: "identity")
        return try lua.call(identity, [value]).first ?? .null
    }

    /// A value that writes itself (as a Lambda event does) arrives as the same Lua value as
    /// its document, with table sizes given or not.
    struct Written: DocumentWritable {
        let document: Document
        let sized: Bool
        func write<E: JSONEvents>(into events: inout E) {
            guard sized, case .map(let m) = document else { return document.write(into: &events) }
            events.beginObject(count: m.count)
            for key in m.keys.sorted() {
                var name = key
                name.withUTF8 { events.key($0) }
                m[key]?.write(into: &events)
                events.endMember()
            }
            events.endObject()
        }
    }

    @Test func writtenValuesArriveAsTheirDocuments() throws {
        let identity = try lua.load("return ...", chunkName: "identity")
        let value: Document = ["Records": [["id": "a", "n": 1, "b": .bytes([104, 105]), "m": ["x": [1, 2.5, true]]], ["id": "b"]]]
        for sized in [false, true] {
            let results = try lua.call(identity, writing: [Document.int(7), Written(document: value, sized: sized), Document.string("end")])
            #expect(results == [7, ["Records": [["id": "a", "n": 1, "b": "hi", "m": ["x": [1, 2.5, true]]], ["id": "b"]]], "end"])
        }
    }

    /// Literal keys and values, which a state keeps by the literal's address, arrive as the
    /// same strings as text written byte by byte, call after call, and take no stack slot.
    struct Literal: DocumentWritable {
        func write<E: JSONEvents>(into events: inout E) {
            events.beginObject(count: 3)
            events.member("eventSource", literal: "aws:kinesis")
            events.key("S")
            events.string("aws:kinesis")
            events.endMember()
            events.key(UnsafeBufferPointer(start: ("N" as StaticString).utf8Start, count: 1))
            events.string("S" as StaticString)
            events.endMember()
            events.endObject()
        }
    }

    @Test func literalsArriveAsTheSameStrings() throws {
        let check = try lua.load(
            """
            local n, event, last = select('#', ...), ...
            local same = event.eventSource == event.S and event.N == "S" and rawequal(event.eventSource, "aws:kinesis")
            return n, same, event.eventSource, last
            """, chunkName: "literals")
        for _ in 0..<3 {
            #expect(try lua.call(check, writing: [Literal(), Document.string("end")]) == [2, true, "aws:kinesis", "end"])
        }
    }

    /// Values that recur through a write (a batch's ARN on every record) arrive as the strings
    /// they are, each record its own, in every write: one made once and read back per record.
    struct Recurring: DocumentWritable {
        let values: [String]
        func write<E: JSONEvents>(into events: inout E) {
            events.beginArray()
            for (i, value) in values.enumerated() {
                events.beginObject(count: 1)
                events.member("arn", recurring: value)
                events.endObject()
                events.endElement(i + 1)
            }
            events.endArray()
        }
    }

    @Test func recurringValuesArriveAsTheirStrings() throws {
        let identity = try lua.load("return ...", chunkName: "identity")
        let long = String(repeating: "arn:aws:kinesis:us-west-2:123456789012:stream/", count: 2)
        for values in [[long, "us-west-2", long, long + "x", "us-west-2", ""], ["other", long, "other"]] {
            let records = try lua.call(identity, writing: [Recurring(values: values)])
            #expect(records == [.array(values.map { ["arn": .string($0)] })])
        }
    }

    @Test func scalarsRoundTrip() throws {
        for value: Document in [.null, true, false, 0, -7, .int(Int64.max), .int(Int64.min), 1.5, -0.25, 1e300] {
            #expect(try roundTrip(value) == value)
        }
    }

    @Test func largeIntegersStayIntegers() throws {
        let result = try roundTrip(.int(9_007_199_254_740_993))
        guard case .int(let i) = result else {
            Issue.record("expected an integer, got \(result)")
            return
        }
        #expect(i == 9_007_199_254_740_993)
    }

    @Test func stringsKeepEveryByte() throws {
        #expect(try roundTrip("a\0b") == "a\0b")
        #expect(try roundTrip("héllo ✓") == "héllo ✓")
        let raw: [UInt8] = [0xFF, 0x00, 0xC3, 0x28, 0x41]
        #expect(try roundTrip(.bytes(raw)) == .bytes(raw))
        let length = try lua.run("return #(...)", chunkName: "len", arguments: ["a\0b"])
        #expect(length == [3])
    }

    @Test func nestedTablesRoundTrip() throws {
        let value: Document = ["list": [1, 2, ["x": "y"]], "map": ["deep": ["deeper": [true]]], "empty": [:]]
        #expect(try roundTrip(value) == value)
    }

    @Test func luaTablesBecomeListsOrMaps() throws {
        let result = try lua.run("return {1, 2, 3}, {a = 1}, {}", chunkName: "t")
        #expect(result == [[1, 2, 3], ["a": 1], [:]])
    }

    @Test func cyclicTablesAreRejected() throws {
        #expect {
            _ = try lua.run("local t = {} t.self = t return t", chunkName: "cycle")
        } throws: { error in
            (error as? LuaError)?.kind == .conversion && "\(error)".contains("contains itself")
        }
    }

    @Test func userdataAndMixedTablesAreRejected() throws {
        #expect(throws: LuaError.self) { _ = try lua.run("return coroutine.create(print)", chunkName: "thread") }
        #expect(throws: LuaError.self) { _ = try lua.run("return {1, 2, x = 3}", chunkName: "mixed") }
        #expect(throws: LuaError.self) { _ = try lua.run("return {[1.5] = 1}", chunkName: "float-key") }
    }

    @Test func functionsAreRejectedAsHostArguments() throws {
        lua.register("host.take") { _ in [] }
        let result = try lua.run("return pcall(host.take, {f = 1})", chunkName: "ok")
        #expect(result.first == true)
    }

    @Test func functionResultsBecomeCallables() throws {
        let result = try lua.run("return function(a, b) return a + b end", chunkName: "f")
        guard case .callable(let f) = result.first else {
            Issue.record("expected a callable")
            return
        }
        #expect(try f.call([2, 3]) == [5])
    }
}

@Suite struct DirectJSONTests {
    /// Decoding JSON straight onto the Lua stack gives what decoding to a document and pushing it gives.
    @Test(arguments: [
        #"{"a":1,"b":[true,false,2.5,-7],"n":null,"c":{"d":"e\n\u00e9\ud83d\ude00"},"big":9007199254740993,"f":1e3}"#,
        "[]", "{}", #""plain""#, "-0.5", "123456789012345678901234567890",
    ])
    func sameValuesAsTheDocumentPath(text: String) throws {
        let lua = try LuaState()
        lua.registerRaw("decode") { stack in
            guard let bytes = stack.bytes(1) else { return 0 }
            try stack.pushJSON(bytes)
            return 1
        }
        let direct = try lua.run("return decode(...)", chunkName: "t", arguments: [.string(text)]).first
        let viaDocument = try lua.run("return ...", chunkName: "t", arguments: [try Document(jsonText: text)]).first
        #expect(direct == viaDocument)
    }

    /// A host function's result that writes itself arrives as the same Lua values as the
    /// document it writes, pushed (GetRecords' pages for the scoreboard take this path).
    @Test func aResultThatWritesItselfArrivesAsItsDocumentWould() throws {
        let lua = try LuaState()
        let value: Document = [
            "Records": [["Data": .bytes([0xFF, 0, 0x41]), "PartitionKey": "k", "N": 1.5], ["Data": .bytes([]), "PartitionKey": "", "N": .int(-3)]],
            "Empty": .array([]), "NoMembers": .map([:]), "Next": "s|0|2", "Flag": true,
        ]
        let write = lua.makeRawFunction { stack in
            stack.push(writing: try stack.document(1))
            return 1
        }
        let direct = try lua.run("local write, v = ... return write(v), select('#', write(v))", chunkName: "t", arguments: [.callable(write), value])
        #expect(direct.count == 2 && direct[1] == 1)
        let pushed = try lua.run("return ...", chunkName: "t", arguments: [value])
        #expect(direct.first == pushed.first && direct.first?["Records"]?.arrayValue?.count == 2)
        // An empty list stays a list (json.encode writes []), an empty map a map.
        guard case .array(let empty)? = direct.first?["Empty"], empty.isEmpty, case .map? = direct.first?["NoMembers"] else {
            Issue.record("empty containers changed kind: \(String(describing: direct.first))")
            return
        }
    }

    @Test func badJSONLeavesNothingPushedAndRaises() throws {
        let lua = try LuaState()
        lua.registerRaw("decode") { stack in
            guard let bytes = stack.bytes(1) else { return 0 }
            try stack.pushJSON(bytes)
            return 1
        }
        let result = try lua.run("local ok, err = pcall(decode, '{\"a\": [1, 2') return ok, select('#', decode('1'))", chunkName: "t")
        #expect(result == [false, 1])
    }
}
