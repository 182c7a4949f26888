import CLua
import DocumentModel
import LuaShim

// Conversion between Lua values and documents. Only raw accesses are used, so no
// metamethod (and so no script code) runs while Swift frames are on the stack.
extension LuaState {
    /// An empty dictionary with room for eight entries, copied for each table converted.
    private static let roomForEight = [String: Document](minimumCapacity: 8)

    /// Pushes a document as a Lua value: maps and arrays become tables, bytes stay exact.
    func push(_ value: Document, on L: OpaquePointer) {
        switch value {
        case .null: lua_pushnil(L)
        case .bool(let b): lua_pushboolean(L, b ? 1 : 0)
        case .int(let i): lua_pushinteger(L, i)
        case .double(let d): lua_pushnumber(L, d)
        case .string(var s):
            s.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
            }
        case .bytes(let b):
            b.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
            }
        case .array(let a):
            lua_checkstack(L, 4)
            lua_createtable(L, Int32(clamping: a.count), 0)
            for (i, element) in a.enumerated() {
                push(element, on: L)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            if a.isEmpty { EmptyArray.mark(on: L) }
        case .map(let m):
            lua_checkstack(L, 4)
            lua_createtable(L, 0, Int32(clamping: m.count))
            // In key order, not the dictionary's: Swift seeds its hashing per process, and the
            // order Lua creates these strings in changes when its collector frees them and
            // resizes its string table, work the sandbox counts (virtual time). Followed the
            // dictionary's order, the same run differed from one process to the next.
            for (key, element) in m.sorted(by: { $0.key < $1.key }) {
                push(.string(key), on: L)
                push(element, on: L)
                lua_rawset(L, -3)
            }
        case .callable(let callable):
            if let function = callable as? LuaFunction, function.state === self {
                lua_rawgeti(L, luashim_registryindex(), lua_Integer(function.ref))
            } else {
                pushHostFunction({ try callable.call($0) }, on: L)
            }
        }
    }

    /// Reads the value at `index` as a document.
    /// - Parameter keepFunctions: functions become callables when true, errors when false.
    /// - Throws: ``LuaError`` `.conversion` for userdata, threads, cyclic or too deep tables,
    ///   and tables that are neither a sequence nor keyed by strings.
    func document(at index: Int32, on L: OpaquePointer, keepFunctions: Bool) throws(LuaError) -> Document {
        var path: [UnsafeRawPointer] = []
        return try convert(lua_absindex(L, index), on: L, keepFunctions: keepFunctions, path: &path, depth: 0)
    }

    private func convert(
        _ index: Int32, on L: OpaquePointer, keepFunctions: Bool, path: inout [UnsafeRawPointer], depth: Int
    ) throws(LuaError) -> Document {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .int(lua_tointegerx(L, index, nil)) }
            return .double(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            var length = 0
            guard let pointer = lua_tolstring(L, index, &length) else { return .string("") }
            let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
            if let s = UTF8Text.string(buffer.bindMemory(to: UInt8.self)) { return .string(s) }
            return .bytes(Array(buffer))
        case LUA_TTABLE:
            return try convertTable(index, on: L, keepFunctions: keepFunctions, path: &path, depth: depth)
        case LUA_TFUNCTION where keepFunctions:
            lua_pushvalue(L, index)
            return .callable(LuaFunction(state: self, ref: luaL_ref(L, luashim_registryindex())))
        default:
            let name = String(cString: lua_typename(L, lua_type(L, index)))
            throw LuaError(kind: .conversion, message: "a \(name) value cannot be passed here")
        }
    }

    private func convertTable(
        _ index: Int32, on L: OpaquePointer, keepFunctions: Bool, path: inout [UnsafeRawPointer], depth: Int
    ) throws(LuaError) -> Document {
        guard depth < 100 else {
            throw LuaError(kind: .conversion, message: "table nested deeper than 100 levels")
        }
        guard let identity = lua_topointer(L, index) else { return .null }
        // The path from the root is short: a list scanned is cheaper than a hashed set.
        guard !path.contains(identity) else {
            throw LuaError(kind: .conversion, message: "a table that contains itself cannot be converted")
        }
        path.append(identity)
        defer { path.removeLast() }
        lua_checkstack(L, 6)
        let length = Int(lua_rawlen(L, index))
        var array: [Document] = []
        // Growing a dictionary one key at a time rehashes it at 1, 2, 4 and 8 entries;
        // request tables are small, so room for eight is made once: by copying an empty
        // dictionary that has it (the first insertion copies the storage, in code specialized
        // here). Both `init(minimumCapacity:)` and `reserveCapacity` look the storage's generic
        // type up at run time on every call (2 % of a lab's run, measured).
        var map = length == 0 ? Self.roomForEight : [:]
        var count = 0
        var sequence = true
        if length > 0 { array = Array(repeating: .null, count: length) }
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            count += 1
            let keyType = lua_type(L, -2)
            let value = try convertOrPop(-1, on: L, keepFunctions: keepFunctions, path: &path, depth: depth + 1, pop: 2)
            if keyType == LUA_TNUMBER, lua_isinteger(L, -2) != 0, case let k = lua_tointegerx(L, -2, nil),
                k >= 1, k <= length
            {
                array[Int(k) - 1] = value
            } else if keyType == LUA_TSTRING {
                sequence = false
                map[keyString(L, -2)] = value
            } else {
                luashim_pop(L, 2)
                let shown = keyType == LUA_TNUMBER ? "number" : String(cString: lua_typename(L, keyType))
                throw LuaError(
                    kind: .conversion, message: "a table with a \(shown) key cannot be converted (use a list or string keys)")
            }
            luashim_pop(L, 1)
        }
        if count == 0 { return EmptyArray.isMarked(index, on: L) ? .array([]) : .map([:]) }
        if sequence, count == length { return .array(array) }
        guard count == map.count else {
            throw LuaError(kind: .conversion, message: "a table that mixes list items and string keys cannot be converted")
        }
        return .map(map)
    }

    private func convertOrPop(
        _ index: Int32, on L: OpaquePointer, keepFunctions: Bool, path: inout [UnsafeRawPointer], depth: Int,
        pop: Int32
    ) throws(LuaError) -> Document {
        do {
            return try convert(lua_absindex(L, index), on: L, keepFunctions: keepFunctions, path: &path, depth: depth)
        } catch {
            luashim_pop(L, pop)
            throw error
        }
    }

    /// The string key at `index`, made once per key text while it stays in ``keyStrings``.
    private func keyString(_ L: OpaquePointer, _ index: Int32) -> String {
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return "" }
        return keyStrings.string(pointer, length)
    }
}
