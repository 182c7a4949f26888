import CLua
import LuaShim

/// An empty Lua table cannot say whether it was a list or a map. One that came from a JSON
/// array or an empty list of a response carries this metatable, so it goes back out as `[]`
/// (`json.encode`, requests), not `{}`.
enum EmptyArray {
    static let key = "labengine.emptyArray"

    static func install(on L: OpaquePointer) {
        lua_createtable(L, 0, 1)
        lua_pushstring(L, "labengine.emptyArray")
        lua_setfield(L, -2, "__name")
        lua_setfield(L, luashim_registryindex(), key)
    }

    /// Gives the table on top of the stack the marker.
    static func mark(on L: OpaquePointer) {
        if lua_getfield(L, luashim_registryindex(), key) == LUA_TTABLE {
            lua_setmetatable(L, -2)
        } else {
            luashim_pop(L, 1)
        }
    }

    static func isMarked(_ index: Int32, on L: OpaquePointer) -> Bool {
        guard lua_getmetatable(L, index) != 0 else { return false }
        lua_getfield(L, luashim_registryindex(), key)
        let marked = lua_rawequal(L, -1, -2) != 0
        luashim_pop(L, 2)
        return marked
    }
}
