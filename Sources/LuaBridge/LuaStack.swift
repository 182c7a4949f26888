import CLua
import DocumentModel
import LuaShim

/// A host call's view of the Lua stack: its arguments, and where results go.
public struct LuaStack {
    let L: OpaquePointer
    let state: LuaState

    /// The number of arguments.
    public var count: Int { Int(lua_gettop(L)) }

    /// The bytes of string (or number) argument `index`, counted from 1; valid until the call returns.
    public func bytes(_ index: Int) -> UnsafeRawBufferPointer? {
        guard lua_type(L, Int32(index)) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = lua_tolstring(L, Int32(index), &length) else { return nil }
        return UnsafeRawBufferPointer(start: pointer, count: length)
    }

    /// Argument `index` as a document; functions in it become callables, as a host
    /// function's arguments do.
    public func document(_ index: Int) throws(LuaError) -> Document {
        try state.document(at: Int32(index), on: L, keepFunctions: true)
    }

    /// Pushes a value that writes itself, as a host function's result: its objects and arrays
    /// become tables as a document's would, without the document.
    public func push(writing value: some DocumentWritable) {
        let literals = Literals.push(on: L)
        var pusher = LuaJSONPusher(L: L, literals: literals, slots: state.literalSlots)
        value.write(into: &pusher)
        Literals.remove(at: literals, on: L)
    }

    /// Pushes bytes as a Lua string.
    public func push(bytes: UnsafeRawBufferPointer) {
        _ = bytes.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
    }

    /// Pushes a document, as a host function's result.
    public func push(_ value: Document) { state.push(value, on: L) }

    /// Parses JSON text straight onto the stack (objects and arrays as tables, null as nil),
    /// without building a document first.
    /// - Throws: ``JSONError`` naming the offset of the first problem; nothing is left pushed.
    public func pushJSON(_ text: UnsafeRawBufferPointer) throws(JSONError) {
        let top = lua_gettop(L)
        var pusher = LuaJSONPusher(L: L)
        do throws(JSONError) {
            try JSONReader.read(text.bindMemory(to: UInt8.self), into: &pusher)
        } catch {
            lua_settop(L, top)
            throw error
        }
    }
}
