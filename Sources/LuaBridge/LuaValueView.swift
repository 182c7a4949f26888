import CLua
import DocumentModel
import LuaShim

/// A value on a Lua stack read where it lies: a request table's members are read without a
/// document being built. Raw accesses only, as for documents: no metamethod (and so no
/// script code) runs. Valid only while the call that handed it out runs.
package struct LuaValueView {
    let L: OpaquePointer
    /// An absolute index.
    let index: Int32
    let state: LuaState

    /// The text, if the value is a string of valid UTF-8.
    package var text: String? {
        bytes.flatMap { UTF8Text.string($0.bytes) }
    }

    /// As ``text``, for a string function code sends call after call (an expression): the
    /// same Lua string (a constant of the function) gives the same `String` again, found by
    /// its address as table keys are (``KeyStrings``), with no copy made.
    package var recurringText: String? {
        guard let (pointer, bytes) = bytes else { return nil }
        // The kept strings are decoded leniently: only ASCII is certain to be kept exactly.
        guard UTF8Text.isASCII(bytes) else { return UTF8Text.string(bytes) }
        return state.keyStrings.string(pointer, bytes.count)
    }

    /// A string value's bytes, where Lua keeps them. A number is not taken as text:
    /// `lua_tolstring` would turn it into a string in place.
    private var bytes: (pointer: UnsafePointer<CChar>, bytes: UnsafeBufferPointer<UInt8>)? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return nil }
        return (pointer, UnsafeRawBufferPointer(start: pointer, count: length).bindMemory(to: UInt8.self))
    }

    /// The value, if it is a boolean.
    package var boolean: Bool? {
        guard lua_type(L, index) == LUA_TBOOLEAN else { return nil }
        return lua_toboolean(L, index) != 0
    }

    /// Visits a table's members in Lua's order and answers whether every member was visited:
    /// false (having stopped) when the value is not a table, is empty, has a key that is not
    /// a string, or `body` returned false. Keys are decoded as a document's are.
    package func forEachMember(_ body: (String, LuaValueView) -> Bool) -> Bool {
        guard lua_type(L, index) == LUA_TTABLE else { return false }
        lua_checkstack(L, 4)
        var any = false
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            var length = 0
            guard lua_type(L, -2) == LUA_TSTRING, let key = lua_tolstring(L, -2, &length),
                body(state.keyStrings.string(key, length), LuaValueView(L: L, index: lua_gettop(L), state: state))
            else {
                luashim_pop(L, 2)
                return false
            }
            any = true
            luashim_pop(L, 1)
        }
        return any
    }
}
