import CLua
import DocumentModel
import LuaShim

#if canImport(Glibc)
    import Glibc
#endif

/// Reads JSON and pushes the value it describes onto a Lua stack as it goes. It gives the
/// same Lua values as decoding to a ``Document`` and pushing that, without the document.
struct LuaJSONReader {
    let L: OpaquePointer
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(L: OpaquePointer, bytes: UnsafeBufferPointer<UInt8>) {
        self.L = L
        self.bytes = bytes
    }

    func fail(_ what: String) -> JSONError { JSONError(description: "invalid JSON at offset \(index): \(what)") }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 || bytes[index] == 10 || bytes[index] == 13 {
            index += 1
        }
    }

    mutating func value() throws(JSONError) {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end") }
        lua_checkstack(L, 4)
        switch bytes[index] {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["): try array()
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"):
            try literal("true")
            lua_pushboolean(L, 1)
        case UInt8(ascii: "f"):
            try literal("false")
            lua_pushboolean(L, 0)
        case UInt8(ascii: "n"):
            try literal("null")
            lua_pushnil(L)
        default: try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected character") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] { throw fail("unexpected character") }
        index += count
    }

    mutating func enter() throws(JSONError) {
        depth += 1
        if depth > 200 { throw fail("nesting deeper than 200") }
    }

    mutating func object() throws(JSONError) {
        try enter()
        defer { depth -= 1 }
        index += 1
        lua_createtable(L, 0, 4)
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            try value()
            lua_rawset(L, -3)
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array() throws(JSONError) {
        try enter()
        defer { depth -= 1 }
        index += 1
        lua_createtable(L, 4, 0)
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position: lua_Integer = 1
        while true {
            try value()
            lua_rawseti(L, -2, position)
            position += 1
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            throw fail("expected ',' or ']'")
        }
    }

    /// Pushes a string; text without escapes goes straight from the input.
    mutating func string() throws(JSONError) {
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != 92 { index += 1 }
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            pushBytes(start, index)
            index += 1
            return
        }
        // Escapes: decode into a buffer.
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let c = bytes[index]
            index += 1
            if c == UInt8(ascii: "\"") {
                _ = out.withUnsafeBufferPointer { b in
                    b.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
                }
                return
            }
            if c != 92 {
                out.append(c)
                continue
            }
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count, bytes[index] == 92, bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low & 0x3FF)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: throw fail("bad escape")
            }
        }
        throw fail("unterminated string")
    }

    private func pushBytes(_ start: Int, _ end: Int) {
        guard let address = bytes.baseAddress else {
            lua_pushstring(L, "")
            return
        }
        _ = lua_pushlstring(L, UnsafeRawPointer(address).advanced(by: start).assumingMemoryBound(to: CChar.self), end - start)
    }

    mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            index += 1
            switch c {
            case 48...57: v = v * 16 + UInt32(c - 48)
            case 97...102: v = v * 16 + UInt32(c - 87)
            case 65...70: v = v * 16 + UInt32(c - 55)
            default: throw fail("bad \\u escape")
            }
        }
        return v
    }

    /// Integers that fit 64 bits stay integers, as in ``Document``'s decoding.
    mutating func number() throws(JSONError) {
        let start = index
        var isFloat = false
        while index < bytes.count {
            let c = bytes[index]
            if (48...57).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                index += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                isFloat = true
                index += 1
            } else {
                break
            }
        }
        guard index > start else { throw fail("unexpected character") }
        let length = index - start
        guard length < 64 else { throw fail("number too long") }
        if !isFloat, let value = parseInteger(start, index) {
            lua_pushinteger(L, value)
            return
        }
        var buffer = [CChar](repeating: 0, count: length + 1)
        for i in 0..<length { buffer[i] = CChar(bitPattern: bytes[start + i]) }
        var consumed = 0
        let value = buffer.withUnsafeMutableBufferPointer { b -> Double in
            guard let base = b.baseAddress else { return 0 }
            var end: UnsafeMutablePointer<CChar>?
            let parsed = strtod(base, &end)
            consumed = end.map { $0 - base } ?? 0
            return parsed
        }
        guard consumed == length else { throw fail("bad number") }
        lua_pushnumber(L, value)
    }

    private func parseInteger(_ start: Int, _ end: Int) -> Int64? {
        var i = start
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < end else { return nil }
        var value: Int64 = 0
        while i < end {
            let c = bytes[i]
            guard c >= 48, c <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(c - 48)) : m.addingReportingOverflow(Int64(c - 48))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        return value
    }
}
