import CLua
import DocumentModel
import LuaShim

/// A Lua function held by Swift (a handler, a lab's `check`). It keeps a registry
/// reference, released when the last Swift reference goes.
public final class LuaFunction: DocumentCallable, @unchecked Sendable {
    // Sendable only nominally: a state and its functions are used from one thread.
    weak var state: LuaState?
    let ref: Int32

    init(state: LuaState, ref: Int32) {
        self.state = state
        self.ref = ref
    }

    deinit {
        if let state, !state.closed {
            luaL_unref(state.L, luashim_registryindex(), ref)
        }
    }

    /// Calls the function in its state.
    /// - Throws: ``LuaError`` when the function raises or hits a limit.
    public func call(_ arguments: [Document]) throws -> [Document] {
        guard let state else {
            throw LuaError(kind: .runtime, message: "the Lua state of this function was closed")
        }
        return try state.call(self, arguments)
    }
}

extension LuaFunction {
    /// The file and line where the function's definition starts, when it is Lua code from a file.
    public var definedAt: (file: String, line: Int)? {
        guard let state, !state.closed else { return nil }
        let L = state.L
        lua_rawgeti(L, luashim_registryindex(), lua_Integer(ref))
        var info = lua_Debug()
        guard lua_getinfo(L, ">S", &info) != 0, let source = info.source, info.linedefined > 0 else { return nil }
        let name = String(cString: source)
        guard name.hasPrefix("@") else { return nil }
        return (String(name.dropFirst()), Int(info.linedefined))
    }
}
