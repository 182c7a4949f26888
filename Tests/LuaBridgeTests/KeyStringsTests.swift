import DocumentModel
import Testing

@testable import LuaBridge

/// Table keys are converted once per key text (``KeyStrings``); what comes back must be what
/// converting the bytes gives, whatever was at that address before.
@Suite struct KeyStringsTests {
    @Test func newBytesAtAnAddressGiveTheirOwnString() {
        let keys = KeyStrings()
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 32)
        defer { buffer.deallocate() }
        for (i, c) in "TableName".utf8.enumerated() { buffer[i] = CChar(bitPattern: c) }
        #expect(keys.string(buffer, 9) == "TableName")
        #expect(keys.string(buffer, 9) == "TableName")
        // Same address, same length, other bytes: a string Lua freed and another put there.
        for (i, c) in "TableMame".utf8.enumerated() { buffer[i] = CChar(bitPattern: c) }
        #expect(keys.string(buffer, 9) == "TableMame")
        // Same address, a prefix.
        #expect(keys.string(buffer, 5) == "Table")
        #expect(keys.string(buffer, 0) == "")
    }

    @Test func invalidUTF8IsRepairedAsStringDecodingDoes() {
        let keys = KeyStrings()
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        bytes.withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return }
                #expect(keys.string(base, 3) == String(decoding: bytes, as: UTF8.self))
                #expect(keys.string(base, 3) == "a\u{FFFD}b")
            }
        }
    }

    /// Through a state: a table whose keys are the same strings, converted over and over,
    /// and tables whose keys change, come out as Lua has them.
    @Test func requestTablesKeepTheirKeys() throws {
        let lua = try LuaState()
        let results = try lua.run(
            """
            local out = {}
            for i = 1, 50 do
              out[i] = { TableName = "T" .. i, Key = { id = { S = tostring(i) } }, ["k" .. i] = i }
            end
            return out
            """, chunkName: "keys")
        guard case .array(let tables)? = results.first else {
            Issue.record("expected a list, got \(results)")
            return
        }
        #expect(tables.count == 50)
        for (index, table) in tables.enumerated() {
            let i = index + 1
            #expect(table["TableName"] == .string("T\(i)"))
            #expect(table["Key"]?["id"]?["S"] == .string("\(i)"))
            #expect(table["k\(i)"] == .int(Int64(i)))
            #expect(table.mapValue?.count == 3)
        }
    }
}
