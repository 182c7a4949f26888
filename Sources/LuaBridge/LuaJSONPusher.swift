import CLua
import DocumentModel
import LuaShim

/// Pushes what a ``JSONReader`` reads onto a Lua stack as it goes: the same Lua values as
/// decoding to a ``Document`` and pushing that, without the document.
struct LuaJSONPusher: JSONEvents {
    let L: OpaquePointer

    private func pushString(_ bytes: UnsafeBufferPointer<UInt8>) {
        lua_checkstack(L, 4)
        _ = bytes.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
    }

    func null() { lua_pushnil(L) }
    func bool(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    func int(_ value: Int64) { lua_pushinteger(L, value) }
    func double(_ value: Double) { lua_pushnumber(L, value) }
    func string(_ bytes: UnsafeBufferPointer<UInt8>) { pushString(bytes) }
    func key(_ bytes: UnsafeBufferPointer<UInt8>) { pushString(bytes) }

    func beginObject() {
        lua_checkstack(L, 4)
        lua_createtable(L, 0, 4)
    }

    func beginObject(count: Int) {
        lua_checkstack(L, 4)
        lua_createtable(L, 0, Int32(clamping: count))
    }

    func endMember() { lua_rawset(L, -3) }
    func endObject() {}

    func beginArray() {
        lua_checkstack(L, 4)
        lua_createtable(L, 4, 0)
    }

    func endElement(_ position: Int) { lua_rawseti(L, -2, lua_Integer(position)) }
    func endArray() {
        if lua_rawlen(L, -1) == 0 { EmptyArray.mark(on: L) }
    }
}
