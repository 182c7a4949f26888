import DocumentModel
import LuaBridge
import Testing

/// Reading a returned table where it lies (`call(_:writing:readingLast:)`): raw, no metamethod
/// runs, and a value taken is not made a document.
@Suite struct ValueViewTests {
    /// What the view saw of the last result, as text.
    static func describe(_ source: String, _ read: (LuaValueView) -> String?) throws -> (seen: String?, results: [Document]) {
        let lua = try LuaState()
        let function = try lua.load(source, chunkName: "=test")
        let (results, seen) = try lua.call(function, writing: []) { (_, view) -> String? in read(view) }
        return (seen, results)
    }

    @Test func membersAreVisitedAndATakenValueIsNotMadeADocument() throws {
        let (seen, results) = try Self.describe(#"return "first", { b = "x", a = true, c = 7 }"#) { view in
            var parts: [String] = []
            guard view.forEachMember({ key, value in
                parts.append("\(key)=\(value.text ?? value.boolean.map { "\($0)" } ?? "other")")
                return true
            }) else { return nil }
            return parts.sorted().joined(separator: ",")
        }
        #expect(seen == "a=true,b=x,c=other")
        #expect(results == ["first"])
    }

    @Test func aValueNotTakenIsMadeADocumentAsBefore() throws {
        let (seen, results) = try Self.describe(#"return "first", { 1, 2 }"#) { view in
            view.forEachMember { _, _ in true } ? "table of strings" : nil
        }
        #expect(seen == nil)
        #expect(results == ["first", [1, 2]])
    }

    @Test func aNumberIsNotTextAndStaysANumber() throws {
        let (seen, results) = try Self.describe("return { n = 12 }, 12") { view in view.text }
        #expect(seen == nil)
        #expect(results == [["n": 12], 12])
    }

    @Test func metamethodsDoNotRun() throws {
        let source = """
            local called = false
            local t = setmetatable({ a = "x" }, { __index = function() called = true; return "y" end,
                                                  __pairs = function() called = true; return next, {}, nil end })
            return t
            """
        let (seen, _) = try Self.describe(source) { view in
            var keys: [String] = []
            _ = view.forEachMember { key, _ in keys.append(key); return true }
            return keys.joined()
        }
        #expect(seen == "a")
    }

    @Test func emptyTablesAndOtherKeysAreNotReadAsMembers() throws {
        for source in ["return {}", "return { [1] = 'a' }", "return { a = 1, [true] = 2 }", "return 'text'"] {
            let lua = try LuaState()
            let function = try lua.load(source, chunkName: "=test")
            var read: Bool?
            // A table with a boolean key then cannot be made a document either: that error is the caller's.
            _ = try? lua.call(function, writing: []) { (_, view) -> Bool? in
                read = view.forEachMember { _, _ in true }
                return nil
            }
            #expect(read == false, "\(source)")
        }
    }

    @Test func recurringTextIsTheTextWhateverItsBytes() throws {
        for (literal, expected) in [("'SET #a = :a'", "SET #a = :a"), ("'Vérsion'", "Vérsion"), ("'\\xff'", nil)] as [(String, String?)] {
            let (seen, _) = try Self.describe("return \(literal)") { view in view.recurringText }
            #expect(seen == expected, "\(literal)")
            let (plain, _) = try Self.describe("return \(literal)") { view in view.text }
            #expect(plain == expected, "\(literal)")
        }
    }
}
