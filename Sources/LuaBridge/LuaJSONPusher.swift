import CLua
import DocumentModel
import LuaShim

/// Pushes what a ``JSONReader`` reads onto a Lua stack as it goes: the same Lua values as
/// decoding to a ``Document`` and pushing that, without the document.
struct LuaJSONPusher: JSONEvents {
    let L: OpaquePointer
    /// Where the state's ``Literals`` table is on the stack, or 0 to intern literals each time.
    private let literals: Int32
    /// The state's slots of that table, by literal.
    private let slots: LiteralSlots?
    /// The recurring strings of this write, in the order met; the Lua string of the i-th is
    /// kept in the literals table at `recurringBase + i` (a later write's overwrite it).
    private var recurringTexts: [String] = []
    private static let recurringBase: lua_Integer = 1 << 20

    /// Room on the stack is made here for a value at the top level and at each object or array
    /// for what it holds at once (itself, a key, a value and a literal's lookup), so the
    /// scalars and strings of its members need no check of their own (they were 0.6 % of a run).
    init(L: OpaquePointer, literals: Int32 = 0, slots: LiteralSlots? = nil) {
        self.L = L
        self.literals = literals
        self.slots = slots
        lua_checkstack(L, 4)
    }

    private func pushString(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = bytes.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
    }

    /// Interning a string hashes and compares it; a literal's string is read from the
    /// literals table by the literal's slot instead, once the state has made it.
    private func pushLiteral(_ text: StaticString) {
        let bytes = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        guard literals != 0, text.hasPointerRepresentation,
            let (slot, isNew) = slots?.slot(for: UnsafeRawPointer(text.utf8Start))
        else { return pushString(bytes) }
        if !isNew {
            if lua_rawgeti(L, literals, lua_Integer(slot)) == LUA_TSTRING { return }
            luashim_pop(L, 1)
        }
        pushString(bytes)
        lua_pushvalue(L, -1)
        lua_rawseti(L, literals, lua_Integer(slot))
    }

    /// A long string (an ARN) is a new Lua object each time it is pushed, and a short one is
    /// hashed to be interned: a value every record of a batch repeats is made once a write.
    mutating func recurring(_ text: String) {
        guard literals != 0 else { return string(text) }
        if let index = recurringTexts.firstIndex(of: text) {
            if lua_rawgeti(L, literals, Self.recurringBase + lua_Integer(index)) == LUA_TSTRING { return }
            luashim_pop(L, 1)
            return string(text)
        }
        string(text)
        lua_pushvalue(L, -1)
        lua_rawseti(L, literals, Self.recurringBase + lua_Integer(recurringTexts.count))
        recurringTexts.append(text)
    }

    func key(_ text: StaticString) { pushLiteral(text) }
    func string(_ text: StaticString) { pushLiteral(text) }

    func null() { lua_pushnil(L) }
    func bool(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    func int(_ value: Int64) { lua_pushinteger(L, value) }
    func double(_ value: Double) { lua_pushnumber(L, value) }
    func string(_ bytes: UnsafeBufferPointer<UInt8>) { pushString(bytes) }
    func key(_ bytes: UnsafeBufferPointer<UInt8>) { pushString(bytes) }

    func beginObject() {
        lua_checkstack(L, 5)
        lua_createtable(L, 0, 4)
    }

    func beginObject(count: Int) {
        lua_checkstack(L, 5)
        lua_createtable(L, 0, Int32(clamping: count))
    }

    func endMember() { lua_rawset(L, -3) }
    func endObject() {}

    func beginArray() {
        lua_checkstack(L, 5)
        lua_createtable(L, 4, 0)
    }

    func endElement(_ position: Int) { lua_rawseti(L, -2, lua_Integer(position)) }
    func endArray() {
        if lua_rawlen(L, -1) == 0 { EmptyArray.mark(on: L) }
    }
}

/// The strings a state has made of the host's literals (event keys, constant values), kept
/// in its registry in a list, at the literal's slot (``LiteralSlots``).
enum Literals {
    static let key = "labengine.literals"

    /// Pushes the state's table of literals and returns its absolute index.
    static func push(on L: OpaquePointer) -> Int32 {
        lua_checkstack(L, 4)
        if lua_getfield(L, luashim_registryindex(), key) != LUA_TTABLE {
            luashim_pop(L, 1)
            lua_createtable(L, 128, 0)
            lua_pushvalue(L, -1)
            lua_setfield(L, luashim_registryindex(), key)
        }
        return lua_gettop(L)
    }

    /// Removes the table pushed at `index`, shifting what is above it down.
    static func remove(at index: Int32, on L: OpaquePointer) {
        lua_rotate(L, index, -1)
        luashim_pop(L, 1)
    }
}
